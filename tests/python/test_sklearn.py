"""dense.sklearn: scikit-learn's own estimator checks, and the estimators at work in pipelines,
grid searches, cross-validation and pickles."""
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas
import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import dense
from dense.sklearn import DenseClassifier, DenseRegressor


@parametrize_with_checks([DenseClassifier(), DenseRegressor(),
                          DenseClassifier(solver="rmsprop", activation="tanh", batch_size=16, max_iter=50),
                          DenseRegressor(solver="sgd", learning_rate="adaptive", hidden_layer_sizes=(20, 10))])
def test_scikit_learn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


@pytest.fixture
def iris():
    x, y = load_iris(return_X_y=True)
    return train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)


def test_classifier_learns_iris_in_a_pipeline(iris):
    x_train, x_test, y_train, y_test = iris
    model = make_pipeline(StandardScaler(), DenseClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=0))
    model.fit(x_train, y_train)
    assert model.score(x_test, y_test) >= 0.9
    probabilities = model.predict_proba(x_test)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model.predict(x_test), model.classes_[probabilities.argmax(axis=1)])


def test_accuracy_is_that_of_mlp_classifier_on_digits():
    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x / 16, y, test_size=0.3, random_state=0, stratify=y)
    params = dict(hidden_layer_sizes=(64,), max_iter=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = DenseClassifier(**params).fit(x_train, y_train).score(x_test, y_test)
        theirs = MLPClassifier(**params).fit(x_train, y_train).score(x_test, y_test)
    assert ours == pytest.approx(theirs, abs=0.03)


def test_grid_search_and_cross_validation(iris):
    x_train, _, y_train, _ = iris
    search = GridSearchCV(DenseClassifier(max_iter=100, random_state=0),
                          {"hidden_layer_sizes": [(8,), (16,)], "learning_rate_init": [0.01, 0.001]}, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(x_train, y_train)
        scores = cross_val_score(DenseRegressor(max_iter=50, random_state=0), x_train[:, :3], x_train[:, 3], cv=3)
    assert set(search.best_params_) == {"hidden_layer_sizes", "learning_rate_init"}
    assert search.best_score_ > 0.8
    assert len(scores) == 3 and np.all(scores > 0)


def test_fitted_estimator_pickles_as_a_model_file(iris):
    x_train, x_test, y_train, _ = iris
    model = DenseClassifier(hidden_layer_sizes=(16,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train)
    data = pickle.dumps(model)
    assert b"\x89DNS\r\n\x1a\n" in data
    restored = pickle.loads(data)
    np.testing.assert_array_equal(restored.predict_proba(x_test), model.predict_proba(x_test))
    assert restored.get_params() == model.get_params()


def test_mlp_attributes_after_fit(iris):
    x_train, _, y_train, _ = iris
    model = DenseClassifier(hidden_layer_sizes=(10, 5), max_iter=500, tol=1e-3, n_iter_no_change=5, random_state=0)
    model.fit(x_train, y_train)
    assert model.n_iter_ < 500  # stopped by tol / n_iter_no_change
    assert len(model.loss_curve_) == model.n_iter_ and model.loss_ == model.loss_curve_[-1]
    assert model.best_loss_ == min(model.loss_curve_)
    assert [c.shape for c in model.coefs_] == [(4, 10), (10, 5), (5, 3)]
    assert [b.shape for b in model.intercepts_] == [(10,), (5,), (3,)]
    assert model.n_layers_ == 4 and model.n_outputs_ == 3 and model.out_activation_ == "softmax"
    assert model.n_features_in_ == 4 and model.t_ == model.n_iter_ * len(x_train)
    assert isinstance(model.model_, dense.Sequential)


def test_dataframe_column_names_are_kept(iris):
    x_train, x_test, y_train, _ = iris
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    model = DenseClassifier(max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(pandas.DataFrame(x_train, columns=names), y_train)
    assert list(model.feature_names_in_) == names
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        model.predict(x_test)


def test_string_labels_binary_and_multilabel_targets():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    labels = np.where(x[:, 0] > 0, "yes", "no")
    binary = DenseClassifier(max_iter=100, random_state=0).fit(x, labels)
    assert list(binary.classes_) == ["no", "yes"] and binary.out_activation_ == "logistic"
    assert binary.predict_proba(x).shape == (200, 2) and binary.score(x, labels) > 0.9
    multilabel = np.column_stack([x[:, 0] > 0, x[:, 1] > 0]).astype(int)
    model = DenseClassifier(max_iter=200, random_state=0).fit(x, multilabel)
    assert model.predict(x).shape == (200, 2) and model.score(x, multilabel) > 0.8


def test_partial_fit_trains_one_epoch_per_call(iris):
    x_train, _, y_train, _ = iris
    model = DenseClassifier(random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        model.partial_fit(x_train, y_train)
    for _ in range(3):
        model.partial_fit(x_train, y_train, classes=[0, 1, 2])
    assert model.n_iter_ == 3 and len(model.loss_curve_) == 3
    regressor = DenseRegressor(random_state=0).partial_fit(x_train[:, :3], x_train[:, 3])
    assert regressor.n_iter_ == 1


def test_early_stopping_keeps_the_best_validation_weights(iris):
    x_train, _, y_train, _ = iris
    model = DenseClassifier(early_stopping=True, validation_fraction=0.2, n_iter_no_change=3, max_iter=300,
                            random_state=0).fit(x_train, y_train)
    assert len(model.validation_scores_) == model.n_iter_
    assert model.best_validation_score_ == max(model.validation_scores_)


def test_warm_start_continues_from_the_last_weights(iris):
    x_train, _, y_train, _ = iris
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = DenseClassifier(max_iter=5, warm_start=True, random_state=0).fit(x_train, y_train)
        model.fit(x_train, y_train)
    assert model.n_iter_ == 10


def test_dense_only_options_and_refused_ones(iris):
    x_train, _, y_train, _ = iris
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = DenseClassifier(solver="nadam", activation="gelu", dtype="float32", max_iter=3).fit(x_train, y_train)
        regressor = DenseRegressor(loss="huber", max_iter=3).fit(x_train[:, :3], x_train[:, 3])
    assert model.model_.dtype == np.float32 and isinstance(model.model_.optimizer, dense.optimizers.Nadam)
    assert regressor.model_.loss == "huber" and regressor.model_.dtype == np.float64
    with pytest.raises(ValueError, match="dense has no 'lbfgs'"):
        DenseClassifier(solver="lbfgs").fit(x_train, y_train)
    with pytest.raises(ValueError, match="loss must be one of"):
        DenseRegressor(loss="poisson").fit(x_train[:, :3], x_train[:, 3])


def test_without_scikit_learn_the_import_says_how_to_install_it():
    hide_sklearn = "import sys; sys.modules['sklearn'] = None; import dense.sklearn"
    done = subprocess.run([sys.executable, "-c", hide_sklearn], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "dense.sklearn needs scikit-learn, which is not installed: pip install 'scikit-learn>=1.6'" in done.stderr
