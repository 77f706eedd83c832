#pragma once
// The one header users include: #include <dense/dense.hpp>.
#include "dense/activation.hpp"
#include "dense/callback.hpp"
#include "dense/callbacks/csv_logger.hpp"
#include "dense/callbacks/early_stopping.hpp"
#include "dense/callbacks/lambda_callback.hpp"
#include "dense/callbacks/reduce_lr_on_plateau.hpp"
#include "dense/callbacks/terminate_on_nan.hpp"
#include "dense/error.hpp"
#include "dense/history.hpp"
#include "dense/initializer.hpp"
#include "dense/layer.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "dense/learning_rate_schedule.hpp"
#include "dense/loss.hpp"
#include "dense/matrix.hpp"
#include "dense/optimizers/adagrad.hpp"
#include "dense/optimizers/adam.hpp"
#include "dense/optimizers/adamw.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "dense/optimizers/nadam.hpp"
#include "dense/optimizers/optimizer.hpp"
#include "dense/optimizers/rmsprop.hpp"
#include "dense/optimizers/sgd.hpp"
#include "dense/random.hpp"
#include "dense/regularizer.hpp"
#include "dense/sequential.hpp"
#include "dense/tensor.hpp"
#include "dense/threads.hpp"
#include "dense/validation_split.hpp"

namespace dense::f64 {
// The float64 face of every numeric type: dense::f64::Sequential model({dense::f64::Dense(1)}).
using Matrix = dense::Matrix<double>;
using Tensor = dense::Tensor<double>;
using Sequential = BasicSequential<double>;
using Dense = BasicDense<double>;
using Dropout = BasicDropout<double>;
using ActivationLayer = BasicActivationLayer<double>;
using SGD = BasicSGD<double>;
using Adam = BasicAdam<double>;
using AdamW = BasicAdamW<double>;
using RMSprop = BasicRMSprop<double>;
using Adagrad = BasicAdagrad<double>;
using Nadam = BasicNadam<double>;
using EarlyStopping = BasicEarlyStopping<double>;
using ReduceLROnPlateau = BasicReduceLROnPlateau<double>;
using TerminateOnNaN = BasicTerminateOnNaN<double>;
using CSVLogger = BasicCSVLogger<double>;
using LambdaCallback = BasicLambdaCallback<double>;
}  // namespace dense::f64
