"""dense.sklearn where a user sweep found it apart from MLPClassifier and MLPRegressor: labels,
the L2 penalty's batch, targets given as a column, warm starts, early stopping on DataFrames and
parameter checks."""
import sys
import warnings

import numpy as np
import pandas
import pytest
import sklearn.utils.validation
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning

from dense.sklearn import DenseClassifier, DenseRegressor


@pytest.fixture
def three_classes():
    rng = np.random.default_rng(0)
    return rng.normal(size=(30, 3)), np.repeat([0, 1, 2], 10)


@pytest.mark.parametrize("labels, classes", [(np.repeat([0, 1, 2], 10), [0, 2, 4]),
                                             (np.repeat(["a", "b", "c"], 10), ["a", "b"])])
def test_first_partial_fit_refuses_labels_missing_from_classes(three_classes, labels, classes):
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        DenseClassifier(hidden_layer_sizes=(4,)).partial_fit(three_classes[0], labels, classes=classes)


@pytest.mark.parametrize("batch_size", ["auto", 500])
def test_the_l2_penalty_is_divided_by_the_rows_of_the_real_batch(batch_size):
    # Zero inputs and targets: only alpha/2·‖W‖²/batch_len moves W, by W ← W·(1 − lr·alpha/batch_len)
    # = W·(1 − 0.1/60) per epoch of one batch of the 60 rows, as MLPRegressor shrinks it.
    X, y = np.zeros((60, 3)), np.zeros(60)
    regressor = DenseRegressor(hidden_layer_sizes=(), solver="sgd", momentum=0.0, learning_rate_init=0.1, alpha=1.0,
                               batch_size=batch_size, shuffle=False, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # batch_size=500 is clipped to the 60 rows
        before = regressor.partial_fit(X, y).coefs_[0]
        after = regressor.partial_fit(X, y).coefs_[0]
    np.testing.assert_allclose(after / before, 1 - 0.1 / 60, rtol=1e-6)


def test_a_column_of_targets_predicts_one_dimension_and_warns_as_mlp_regressor():
    X = np.random.default_rng(0).normal(size=(40, 2))
    with pytest.warns(DataConversionWarning):
        regressor = DenseRegressor(hidden_layer_sizes=(3,), max_iter=2).fit(X, X[:, :1])
    assert regressor.predict(X).shape == (40,)


def test_a_warm_start_fit_trains_with_the_parameters_as_they_are_now(three_classes):
    X, y = three_classes
    classifier = DenseClassifier(hidden_layer_sizes=(4,), max_iter=1, warm_start=True).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.set_params(solver="sgd", learning_rate_init=0.5).fit(X, y)
    assert type(classifier.model_.optimizer).__name__ == "SGD"
    assert classifier.model_.optimizer.learning_rate == pytest.approx(0.5)


def test_a_warm_start_fit_needs_the_classes_of_the_last_fit(three_classes):
    X, y = three_classes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier = DenseClassifier(hidden_layer_sizes=(4,), max_iter=1, warm_start=True).fit(X, y)
        with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same classes"):
            classifier.fit(X[:20], y[:20])


@pytest.mark.parametrize("later", [lambda c, X, y: c.set_params(warm_start=True).fit(X, np.eye(3)[y]),
                                   lambda c, X, y: c.partial_fit(X, np.c_[y, y])])
def test_a_later_fit_refuses_targets_of_another_kind_than_the_first(three_classes, later):
    # Fitted on one label per row; a 0/1 matrix of the same classes is another task, not more of this one.
    X, y = three_classes
    classifier = DenseClassifier(hidden_layer_sizes=(4,)).partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="was fitted on multiclass targets"):
        later(classifier, X, y)


@pytest.mark.parametrize("make, train", [
    (DenseRegressor, lambda e, X, y: e.fit(X, np.full(len(X), 1e300))),
    (DenseClassifier, lambda e, X, y: e.fit(np.full_like(X, 1e300), y)),
    (DenseRegressor, lambda e, X, y: e.partial_fit(np.full_like(X, 1e300), y)),
])
def test_training_that_overflows_the_weights_is_an_error_as_in_mlp(three_classes, make, train):
    # MLP raises this ValueError rather than keep NaN weights that predict NaN (or one class) for every row.
    X, y = three_classes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(ValueError, match="Solver produced non-finite parameter weights"):
            train(make(hidden_layer_sizes=(), max_iter=3, random_state=0), X, y)  # no ReLU to stop the overflow


def test_partial_fit_refuses_classes_other_than_the_first_calls(three_classes):
    X, y = three_classes
    classifier = DenseClassifier(hidden_layer_sizes=(4,)).partial_fit(X, y, classes=[0, 1, 2])
    classifier.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="is not the same as on last call to partial_fit"):
        classifier.partial_fit(X, y, classes=[0, 1, 2, 3, 4])


@pytest.mark.parametrize("estimator", [DenseClassifier, DenseRegressor])
def test_early_stopping_on_a_data_frame_gives_no_feature_name_warnings(three_classes, estimator):
    X, y = three_classes
    frame = pandas.DataFrame(X, columns=["a", "b", "c"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator(hidden_layer_sizes=(4,), early_stopping=True, max_iter=3).fit(frame, y)
    assert not [w for w in caught if "feature names" in str(w.message)]


@pytest.mark.parametrize("parameter", [{"power_t": -5}, {"shuffle": "no"}, {"verbose": "loud"},
                                       {"warm_start": "yes"}, {"early_stopping": 1.5}])
def test_parameters_out_of_their_domain_are_refused_at_fit(three_classes, parameter):
    name = next(iter(parameter))
    with pytest.raises(ValueError, match=name):
        DenseClassifier(hidden_layer_sizes=(4,), max_iter=1, **parameter).fit(*three_classes)


def test_an_old_scikit_learn_is_named_with_the_version_needed(monkeypatch):
    monkeypatch.delattr(sklearn.utils.validation, "validate_data")
    monkeypatch.delitem(sys.modules, "dense.sklearn")
    with pytest.raises(ImportError, match=r"dense.sklearn needs scikit-learn >= 1.6; scikit-learn .* is installed"):
        import dense.sklearn  # noqa: F401
