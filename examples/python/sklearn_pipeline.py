"""dense in a scikit-learn pipeline: the breast-cancer data set (it comes with scikit-learn),
standardised, classified by DenseClassifier, cross-validated and tuned with GridSearchCV, and
compared with scikit-learn's MLPClassifier on the same split.

    python examples/python/sklearn_pipeline.py
"""
import time
import warnings

from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dense.sklearn import DenseClassifier

warnings.simplefilter("ignore", ConvergenceWarning)
x, y = load_breast_cancer(return_X_y=True)
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)

pipeline = make_pipeline(StandardScaler(), DenseClassifier(hidden_layer_sizes=(32, 16), max_iter=200,
                                                           early_stopping=True, random_state=0))
scores = cross_val_score(pipeline, x_train, y_train, cv=5)
print(f"5-fold cross-validation accuracy: {scores.mean():.3f} ± {scores.std():.3f}")

search = GridSearchCV(pipeline, {"denseclassifier__hidden_layer_sizes": [(16,), (32, 16)],
                                 "denseclassifier__alpha": [1e-4, 1e-2]}, cv=3)
search.fit(x_train, y_train)
print(f"best settings: {search.best_params_}")
classifier = search.best_estimator_[-1]
print(f"test accuracy: {search.score(x_test, y_test):.3f} after {classifier.n_iter_} epochs "
      f"(early stopping on {classifier.validation_fraction:.0%} of the training rows)")

for name, estimator in [("dense", DenseClassifier(hidden_layer_sizes=(32, 16), random_state=0)),
                        ("MLPClassifier", MLPClassifier(hidden_layer_sizes=(32, 16), random_state=0))]:
    model = make_pipeline(StandardScaler(), estimator)
    start = time.perf_counter()
    model.fit(x_train, y_train)
    print(f"{name:>13}: test accuracy {model.score(x_test, y_test):.3f}, "
          f"{estimator.n_iter_} epochs in {time.perf_counter() - start:.2f} s")
