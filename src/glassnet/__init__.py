"""glassnet: neural networks from scratch on NumPy that hide nothing.

Every number of a forward and backward pass can be traced, checked and printed in the
order a tutorial works it by hand, and the same code trains real networks.

Example:
    >>> import glassnet as gn
    >>> net = gn.Network([gn.Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...                  loss="half_sse")
    >>> round(float(net.forward([0.3, 0.5])[0, 0]), 6)
    0.527472
"""

from glassnet.engine.activations import Activation, get_activation
from glassnet.engine.callbacks import Callback, CSVLogger, EarlyStopping, History, ProgressBar
from glassnet.engine.diagnostics import Diagnostics
from glassnet.engine.layers import Dense, Dropout, Standardize
from glassnet.engine.losses import Loss, get_loss
from glassnet.engine.network import Network
from glassnet.engine.optimizers import (
    SGD,
    Adam,
    Constant,
    InverseTime,
    Momentum,
    Nesterov,
    Optimizer,
    StepDecay,
    get_optimizer,
)
from glassnet.engine.perceptron import Perceptron, PerceptronEpoch
from glassnet.engine.run import TrainingDiverged
from glassnet.glassbox.check import CheckItem, CheckReport
from glassnet.glassbox.gradcheck import GradcheckResult, gradcheck
from glassnet.glassbox.trace import Trace, TraceStep
from glassnet.modelfile import load, save

# The one version source: pyproject.toml reads it (setuptools attr), model files record it.
__version__ = "0.1.0"

__all__ = [
    "Activation",
    "Adam",
    "Callback",
    "CheckItem",
    "CheckReport",
    "Constant",
    "CSVLogger",
    "Dense",
    "Diagnostics",
    "Dropout",
    "EarlyStopping",
    "GradcheckResult",
    "History",
    "InverseTime",
    "Loss",
    "Momentum",
    "Nesterov",
    "Network",
    "Optimizer",
    "Perceptron",
    "PerceptronEpoch",
    "ProgressBar",
    "SGD",
    "Standardize",
    "StepDecay",
    "Trace",
    "TraceStep",
    "TrainingDiverged",
    "__version__",
    "get_activation",
    "get_loss",
    "get_optimizer",
    "gradcheck",
    "load",
    "save",
]
