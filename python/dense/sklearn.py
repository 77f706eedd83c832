"""scikit-learn estimators trained by dense: DenseClassifier and DenseRegressor.

They take MLPClassifier's and MLPRegressor's parameters, with the same names, meanings and
defaults (hidden_layer_sizes=(100,), activation="relu", solver="adam", alpha=1e-4, batch_size="auto",
learning_rate_init=1e-3, max_iter=200, tol=1e-4, n_iter_no_change=10, early_stopping=False, ...),
and work wherever an estimator does: Pipeline, GridSearchCV, cross_val_score, pickle (a fitted
estimator pickles its model as a .dense file's bytes). Beyond MLP's:

    solver      also "rmsprop", "adamw", "adagrad", "nadam" (not "lbfgs")
    activation  also any dense activation ("gelu", "elu", "selu", "leaky_relu", "swish", ...)
    loss        (regressor) "squared_error", "absolute_error" or "huber"
    dtype       the precision dense trains in: "float32", "float64", or None (default) for the
                data's (float32 data trains in float32, anything else in float64, as MLP does)

The fitted network is ``model_`` (a dense.Sequential): ``est.model_.save("model.keras")``.
"""
import numbers
import warnings

import numpy as np

try:
    import sklearn
except ModuleNotFoundError:
    raise ModuleNotFoundError("dense.sklearn needs scikit-learn, which is not installed: "
                              "pip install 'scikit-learn>=1.6' (or, from a clone, pip install \".[sklearn]\")",
                              name="sklearn") from None
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target, unique_labels
from sklearn.utils.validation import check_is_fitted

try:
    from sklearn.utils.validation import validate_data
except ImportError:
    raise ImportError(f"dense.sklearn needs scikit-learn >= 1.6; scikit-learn {sklearn.__version__} is installed "
                      "(pip install -U 'scikit-learn>=1.6')") from None

from dense import layers, optimizers
from dense._arrays import as_dtype
from dense.models import Sequential
from dense.regularizers import L2

_ACTIVATIONS = {"identity": "linear", "logistic": "sigmoid"}  # scikit-learn's names for dense's
_REGRESSION_LOSSES = {"squared_error": "mean_squared_error", "absolute_error": "mean_absolute_error",
                      "huber": "huber"}


class _DenseEstimator(BaseEstimator):
    """What the classifier and the regressor share: the network, the optimizer and the epoch loop
    with scikit-learn's stopping rules (tol, n_iter_no_change, early_stopping)."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam", alpha=0.0001,
                 batch_size="auto", learning_rate="constant", learning_rate_init=0.001, power_t=0.5, max_iter=200,
                 shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-8, n_iter_no_change=10, dtype=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.dtype = dtype

    # ---- scikit-learn's API -------------------------------------------------------------------

    def fit(self, X, y):
        """Trains from scratch (or, with warm_start, from the last fit's weights) for up to max_iter epochs."""
        return self._fit(X, y, incremental=False)

    def _partial_fit(self, X, y, classes=None):
        return self._fit(X, y, incremental=True, classes=classes)

    def _without_early_stopping(self):
        """partial_fit exists only without early_stopping, which needs whole fits to compare."""
        if self.early_stopping:
            raise AttributeError("partial_fit is not available with early_stopping=True")
        return True

    # ---- the epoch loop -----------------------------------------------------------------------

    def _fit(self, X, y, incremental, classes=None):
        self._check_parameters()
        fresh = not (incremental or self.warm_start) or not hasattr(self, "model_")
        dtype = self._training_dtype(X) if fresh else self.model_.dtype
        X, y = validate_data(self, X, y, reset=fresh, dtype=dtype, order="C", multi_output=True,
                             y_numeric=not isinstance(self, ClassifierMixin))
        targets = self._targets(y, fresh, classes, X.dtype, incremental)
        if fresh:
            self._seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        X_train, Y_train, X_val, y_val = self._split(X, targets, y)
        batch_size = self._batch_size(X_train.shape[0])
        if fresh:
            self._start(self._network(X.shape[1], self._network_outputs(targets), dtype, batch_size))
        elif not incremental:
            self._rebuild(batch_size)
        for _ in range(1 if incremental else self.max_iter):
            history = self.model_.fit(X_train, Y_train, batch_size=batch_size, epochs=self.n_iter_ + 1,
                                      initial_epoch=self.n_iter_, shuffle=self.shuffle, verbose=0, seed=self._seed)
            self.n_iter_ += 1
            self.t_ += X_train.shape[0]
            self.loss_ = history.history["loss"][-1]
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._track_improvement(X_val, y_val)
            self._scale_learning_rate()
            if incremental:
                break
            if self._no_improvement_count > self.n_iter_no_change and self._stop_or_slow_down():
                break
        else:
            warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                          "optimization hasn't converged yet.", ConvergenceWarning)
        if self.early_stopping and self._best_weights is not None:
            self.model_.set_weights(self._best_weights)
        if not all(np.isfinite(w).all() for w in self.model_.get_weights()):  # as MLP, not NaN predictions
            raise ValueError("Solver produced non-finite parameter weights. The input data may contain large values "
                             "and need to be preprocessed.")
        return self

    def _training_dtype(self, X):
        """The dtype asked for, or with dtype=None the data's: float32 stays float32 (fast), anything
        else is float64, as MLPClassifier does."""
        if self.dtype is not None:
            return as_dtype(self.dtype)
        return np.dtype(np.float32) if getattr(X, "dtype", None) == np.float32 else np.dtype(np.float64)

    def _network(self, n_features, n_outputs, dtype, batch_size):
        """Hidden layers and the output layer, compiled with the optimizer the parameters ask for."""
        activation = _ACTIVATIONS.get(self.activation, self.activation)
        # scikit-learn adds alpha/2 · ‖W‖² / batch_len to each batch's loss (batch_len the rows in the
        # batch): dense's l2 · Σw² with l2 = alpha / (2 · batch_size).
        penalty = L2(self.alpha / (2 * batch_size)) if self.alpha > 0 else None
        model = Sequential(seed=self._seed, dtype=dtype)
        width = n_features
        for units in self._hidden_sizes():
            model.add(layers.Dense(units, activation=activation, input_dim=width if not model.layers else None,
                                   kernel_regularizer=penalty))
            width = units
        model.add(layers.Dense(n_outputs, activation=self._output_activation(n_outputs),
                               input_dim=n_features if not model.layers else None, kernel_regularizer=penalty))
        model.compile(optimizer=self._optimizer(), loss=self._loss(n_outputs))
        return model

    def _rebuild(self, batch_size):
        """warm_start: the last fit's weights in a network made from the parameters as they are now
        (optimizer, learning rate, penalty), as MLP makes a new optimizer for each fit."""
        weights = self.model_.get_weights()
        self.model_ = self._network(self.n_features_in_, self.n_outputs_, self.model_.dtype, batch_size)
        self.model_.set_weights(weights)

    def _start(self, model):
        """A fresh network and stopping state."""
        self.model_ = model
        self.n_iter_ = self.t_ = 0
        self.loss_curve_ = []
        self.best_loss_ = np.inf
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None
        self._best_weights = None
        self._no_improvement_count = 0

    def _optimizer(self):
        lr = float(self.learning_rate_init)
        if self.solver == "adam":
            return optimizers.Adam(lr, beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        if self.solver == "sgd":
            return optimizers.SGD(lr, momentum=self.momentum, nesterov=self.nesterovs_momentum and self.momentum > 0)
        optimizer = optimizers.get(self.solver)
        optimizer.learning_rate = lr
        return optimizer

    def _split(self, X, targets, y):
        """The training rows and, with early_stopping, the validation rows (stratified for classes)."""
        if not self.early_stopping:
            return X, targets, None, None
        stratify = y if isinstance(self, ClassifierMixin) and y.ndim == 1 else None
        X_train, X_val, Y_train, _, _, y_val = train_test_split(
            X, targets, y, test_size=self.validation_fraction, random_state=self._seed, stratify=stratify)
        if X_val.shape[0] < 2:
            raise ValueError("The validation set is too small. Increase 'validation_fraction' or the size of your "
                             "dataset.")
        return np.ascontiguousarray(X_train), np.ascontiguousarray(Y_train), X_val, y_val

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is going to be clipped")
        return int(np.clip(self.batch_size, 1, n_samples))

    def _track_improvement(self, X_val, y_val):
        """scikit-learn's rule: an epoch counts as no improvement unless it beats the best by tol."""
        if self.early_stopping:
            score = self._validation_score(X_val, y_val)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            self._no_improvement_count = self._no_improvement_count + 1 if score < self.best_validation_score_ + \
                self.tol else 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_weights = self.model_.get_weights()
        else:
            self._no_improvement_count = self._no_improvement_count + 1 if self.loss_ > self.best_loss_ - self.tol \
                else 0
            self.best_loss_ = min(self.best_loss_, self.loss_)

    def _scale_learning_rate(self):
        """learning_rate="invscaling" (sgd): lr = learning_rate_init / (t + 1)^power_t, t the samples seen."""
        if self.solver == "sgd" and self.learning_rate == "invscaling":
            self.model_.optimizer.learning_rate = self.learning_rate_init / (self.t_ + 1) ** self.power_t

    def _stop_or_slow_down(self):
        """After n_iter_no_change epochs without improvement: stop, or with learning_rate="adaptive"
        (sgd) divide the rate by 5 until it is below 1e-6, as scikit-learn does."""
        if self.solver == "sgd" and self.learning_rate == "adaptive" and self.model_.optimizer.learning_rate > 1e-6:
            self.model_.optimizer.learning_rate = self.model_.optimizer.learning_rate / 5
            self._no_improvement_count = 0
            return False
        return True

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, numbers.Integral) else list(sizes)
        if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be positive integers, got {self.hidden_layer_sizes!r}")
        return [int(s) for s in sizes]

    def _check_parameters(self):
        """Parameters are checked at fit, as scikit-learn asks (never in __init__ or set_params)."""
        self._hidden_sizes()
        if self.solver not in ("adam", "sgd", "rmsprop", "adamw", "adagrad", "nadam"):
            raise ValueError(f"solver must be 'adam', 'sgd', 'rmsprop', 'adamw', 'adagrad' or 'nadam' "
                             f"(dense has no 'lbfgs'), got {self.solver!r}")
        if self.learning_rate not in ("constant", "invscaling", "adaptive"):
            raise ValueError(f"learning_rate must be 'constant', 'invscaling' or 'adaptive', got {self.learning_rate!r}")
        if not isinstance(self.activation, str):
            raise ValueError(f"activation must be a name such as 'relu', got {self.activation!r}")
        _require(self.alpha, "alpha", 0, allow_equal=True)
        _require(self.learning_rate_init, "learning_rate_init", 0)
        _require(self.tol, "tol", 0, allow_equal=True)
        _require(self.epsilon, "epsilon", 0)
        _require(self.power_t, "power_t", 0, allow_equal=True)
        for name in ("shuffle", "warm_start", "nesterovs_momentum", "early_stopping"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if not (isinstance(self.verbose, (bool, np.bool_)) or isinstance(self.verbose, numbers.Integral)
                and self.verbose >= 0):
            raise ValueError(f"verbose must be True, False or an integer >= 0, got {self.verbose!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")
        if not (self.n_iter_no_change == np.inf or isinstance(self.n_iter_no_change, numbers.Integral)
                and self.n_iter_no_change >= 1):
            raise ValueError(f"n_iter_no_change must be an integer >= 1 or numpy.inf, got {self.n_iter_no_change!r}")
        if self.batch_size != "auto" and not (isinstance(self.batch_size, numbers.Integral) and self.batch_size >= 1):
            raise ValueError(f"batch_size must be 'auto' or an integer >= 1, got {self.batch_size!r}")
        if not 0 <= self.validation_fraction < 1:
            raise ValueError(f"validation_fraction must be in [0, 1), got {self.validation_fraction!r}")
        for name in ("beta_1", "beta_2", "momentum"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)!r}")

    # ---- what scikit-learn reads off a fitted MLP ---------------------------------------------

    @property
    def coefs_(self):
        """The kernels, coefs_[i] of shape (inputs, units) as MLP's."""
        check_is_fitted(self, "model_")
        return self.model_.get_weights()[0::2]

    @property
    def intercepts_(self):
        check_is_fitted(self, "model_")
        return self.model_.get_weights()[1::2]

    @property
    def n_layers_(self):
        check_is_fitted(self, "model_")
        return len(self.model_.layers) + 1

    @property
    def n_outputs_(self):
        check_is_fitted(self, "model_")
        return self.model_.output_shape[1]

    def _validated(self, X):
        check_is_fitted(self, "model_")
        return validate_data(self, X, reset=False, dtype=self.model_.dtype, order="C")

    def _network_output(self, X):
        """The network's outputs for rows already validated."""
        # Inference in large batches: fewer passes over the weights than Keras' default of 32.
        return self.model_.predict(X, batch_size=max(1, min(4096, X.shape[0])), verbose=0).astype(np.float64)


def _require(value, name, low, allow_equal=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and (value >= low if allow_equal
                                                                              else value > low)
    if not ok:
        raise ValueError(f"{name} must be a number {'>=' if allow_equal else '>'} {low}, got {value!r}")


class DenseClassifier(ClassifierMixin, _DenseEstimator):
    """scikit-learn's MLPClassifier, trained by dense: softmax outputs under cross-entropy for
    several classes, one sigmoid output for two, sigmoid outputs for multilabel targets."""

    @available_if(_DenseEstimator._without_early_stopping)
    def partial_fit(self, X, y, classes=None):
        """One epoch over (X, y). The first call needs ``classes``: every label that y will ever hold."""
        if not hasattr(self, "model_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._partial_fit(X, y, classes=classes)

    def predict(self, X):
        """The class of each sample: the most probable of ``classes_``."""
        return self._labels(self._probabilities(self._validated(X)))

    def predict_proba(self, X):
        """Class probabilities, one column per class of classes_ (multilabel: per label)."""
        return self._probabilities(self._validated(X))

    def _probabilities(self, X):
        output = self._network_output(X)
        if self._task == "binary":
            return np.hstack([1 - output, output])
        return output

    def _labels(self, probabilities):
        if self._task == "multilabel-indicator":
            return (probabilities > 0.5).astype(int)
        return self.classes_[np.argmax(probabilities, axis=1)]

    def _validation_score(self, X_val, y_val):
        """score() on the validation rows, already validated (no second look at feature names)."""
        return accuracy_score(y_val, self._labels(self._probabilities(X_val)))

    def predict_log_proba(self, X):
        """The log of predict_proba (-inf where a probability is 0)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def _targets(self, y, fresh, classes, dtype, incremental):
        """y as what the network learns: a 0/1 column (binary), class indices (several classes) or
        the 0/1 matrix itself (multilabel)."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if fresh:
            self._learn_classes(y if classes is None else classes)
        elif (y.ndim == 2) != (self._task == "multilabel-indicator"):
            raise ValueError(f"y is {type_of_target(y)} but {type(self).__name__} was fitted on {self._task} "
                             f"targets; fit a new estimator (warm_start=False) to learn these")
        elif incremental:
            self._require_same_classes_argument(classes)
        else:
            self._require_same_classes_as_last_fit(y)
        self._require_known_labels(y)
        if self._task == "multiclass":
            return np.searchsorted(self.classes_, y).astype(dtype).reshape(-1, 1)
        return np.ascontiguousarray(self._binarizer.transform(y), dtype=dtype)

    def _learn_classes(self, labels):
        binarizer = LabelBinarizer().fit(labels)
        if len(binarizer.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs samples of at least 2 classes; y has 1 class "
                             f"({binarizer.classes_[0]!r})")
        self._binarizer = binarizer
        self.classes_ = binarizer.classes_
        self._task = "multilabel-indicator" if binarizer.y_type_ == "multilabel-indicator" else \
            "binary" if len(self.classes_) == 2 else "multiclass"

    def _require_same_classes_argument(self, classes):
        """A later partial_fit may repeat classes=, unchanged (MLPClassifier's rule)."""
        if classes is not None and not np.array_equal(self.classes_, unique_labels(classes)):
            raise ValueError(f"`classes={list(classes)!r}` is not the same as on last call to partial_fit, was: "
                             f"{list(self.classes_)!r}; pass the same classes, or fit a new estimator")

    def _require_same_classes_as_last_fit(self, y):
        if self._task != "multilabel-indicator" and not np.array_equal(self.classes_, unique_labels(y)):
            raise ValueError(f"warm_start can only be used where `y` has the same classes as in the previous call "
                             f"to fit. Previously got {self.classes_}, `y` has {unique_labels(y)}; set "
                             f"warm_start=False to start again with these classes")

    def _require_known_labels(self, y):
        """Every label of y is one of classes_ (a label outside them would be trained as another)."""
        if self._task == "multilabel-indicator":
            return
        unknown = np.setdiff1d(unique_labels(y), self.classes_)
        if unknown.size:
            raise ValueError(f"`y` has classes not in `self.classes_`: {unknown}. `self.classes_` has "
                             f"{self.classes_}; pass every label y holds in classes= on the first partial_fit")

    def _network_outputs(self, targets):
        return len(self.classes_) if self._task == "multiclass" else targets.shape[1]

    def _output_activation(self, n_outputs):
        return "softmax" if self._task == "multiclass" else "sigmoid"

    def _loss(self, n_outputs):
        return "sparse_categorical_crossentropy" if self._task == "multiclass" else "binary_crossentropy"

    @property
    def out_activation_(self):
        """MLPClassifier's: the output layer's activation, "softmax" for several classes, else "logistic"."""
        check_is_fitted(self, "model_")
        return "softmax" if self._task == "multiclass" else "logistic"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class DenseRegressor(RegressorMixin, _DenseEstimator):
    """scikit-learn's MLPRegressor, trained by dense: linear outputs, one per target.

    ``loss_curve_`` holds dense's (Keras') loss: the mean squared error, where MLPRegressor's is
    half of it."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, loss="squared_error", solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant", learning_rate_init=0.001, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, dtype=None):
        super().__init__(hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
                         learning_rate=learning_rate, learning_rate_init=learning_rate_init, power_t=power_t,
                         max_iter=max_iter, shuffle=shuffle, random_state=random_state, tol=tol, verbose=verbose,
                         warm_start=warm_start, momentum=momentum, nesterovs_momentum=nesterovs_momentum,
                         early_stopping=early_stopping, validation_fraction=validation_fraction, beta_1=beta_1,
                         beta_2=beta_2, epsilon=epsilon, n_iter_no_change=n_iter_no_change, dtype=dtype)
        self.loss = loss

    @available_if(_DenseEstimator._without_early_stopping)
    def partial_fit(self, X, y):
        """One epoch over (X, y), continuing from the weights so far."""
        return self._partial_fit(X, y)

    def predict(self, X):
        """The network's predictions: shape (samples,) for one target, (samples, targets) for several."""
        output = self._network_output(self._validated(X))
        return output.ravel() if self._single_output else output

    def _validation_score(self, X_val, y_val):
        """score() on the validation rows, already validated (no second look at feature names)."""
        output = self._network_output(X_val)
        return r2_score(y_val, output.ravel() if self._single_output else output)

    def _targets(self, y, fresh, classes, dtype, incremental):
        if y.ndim == 2 and y.shape[1] == 1:  # one target as a column: predict gives (n,), as MLPRegressor
            y = column_or_1d(y, warn=True)
        if fresh:
            if self.loss not in _REGRESSION_LOSSES:
                raise ValueError(f"loss must be one of {', '.join(_REGRESSION_LOSSES)}, got {self.loss!r}")
            self._single_output = y.ndim == 1
        return np.ascontiguousarray(y.reshape(len(y), -1), dtype=dtype)

    def _network_outputs(self, targets):
        return targets.shape[1]

    def _output_activation(self, n_outputs):
        return "linear"

    def _loss(self, n_outputs):
        return _REGRESSION_LOSSES[self.loss]

    @property
    def out_activation_(self):
        """MLPRegressor's: the output layer's activation, "identity"."""
        check_is_fitted(self, "model_")
        return "identity"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
