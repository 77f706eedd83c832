"""The compile settings a Keras 3 ``.keras`` archive holds (config.json's "compile_config"), given
to Sequential.compile: Keras' load_model(compile=True) compiles the model it loads."""
import inspect
import json
import warnings
import zipfile

from dense import losses, optimizers, schedules


def compile_from_archive(model, path):
    """Compiles ``model`` with the archive's compile_config, when it has one. One that dense cannot
    follow (an optimizer, schedule, loss or metric it lacks, by object or by name) leaves the model
    uncompiled, with a warning saying so, as Keras does."""
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    compile_config = config.get("compile_config")
    if not compile_config:
        return
    try:
        model.compile(optimizer=_optimizer(compile_config["optimizer"]), loss=_loss(compile_config["loss"]),
                      metrics=_metrics(compile_config.get("metrics")))
    except (KeyError, TypeError, ValueError) as error:
        warnings.warn(f"'{path}': the model is loaded uncompiled; its compile_config has what dense cannot "
                      f"follow ({error}); call model.compile(...) before fit or evaluate", stacklevel=3)


def _optimizer(serialized):
    """Keras' {"class_name": "Adam", "config": {"learning_rate": ..., "beta_1": ..., ...}}."""
    if isinstance(serialized, str):
        return optimizers.get(serialized)
    cls = optimizers._BY_NAME.get(serialized["class_name"].lower())
    if cls is None:
        raise ValueError(f"optimizer {serialized['class_name']!r}")
    accepted = set(inspect.signature(cls).parameters) | set(optimizers.Optimizer._CLIPPING)
    config = dict(serialized.get("config", {}))
    if isinstance(config.get("learning_rate"), dict):
        config["learning_rate"] = _schedule(config["learning_rate"])
    return cls(**{key: value for key, value in config.items() if key in accepted and value is not None})


def _schedule(serialized):
    """Keras' {"class_name": "CosineDecay", "config": {"initial_learning_rate": ..., ...}}; a warmup
    (which dense's schedules lack) is a ValueError, so the model loads uncompiled."""
    cls = getattr(schedules, serialized.get("class_name", ""), None)
    if not (isinstance(cls, type) and issubclass(cls, schedules.LearningRateSchedule)):
        raise ValueError(f"learning-rate schedule {serialized.get('class_name')!r}")
    config = serialized.get("config", {})
    if config.get("warmup_steps"):
        raise ValueError("a learning-rate schedule with a warmup")
    return cls(**{key: config[key] for key in inspect.signature(cls).parameters if key in config})


def _loss(serialized):
    """A name, or Keras' {"class_name": "Huber", "config": {"delta": ...}}."""
    if isinstance(serialized, str):
        return serialized
    cls = getattr(losses, serialized["class_name"], None)
    if not (isinstance(cls, type) and issubclass(cls, losses.Loss)):
        raise ValueError(f"loss {serialized['class_name']!r}")
    config = serialized.get("config", {})
    return cls(**{key: config[key] for key in inspect.signature(cls).parameters if key in config})


def _metrics(serialized):
    if not serialized:
        return []
    if any(not isinstance(metric, str) for metric in serialized):
        raise ValueError(f"metrics {serialized!r}")
    return list(serialized)
