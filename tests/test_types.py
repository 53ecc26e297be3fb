"""The typed API (issue 21): what the type checkers found, each a test through the public
names.

Annotating the public API made mypy and pyright read bodies they had skipped; where they
found a None not handled or a value of the wrong kind that could reach the user, the fix
is a clear error (or the value handled), tested here.
"""

import pytest

from glassnet import Dense, Dropout, Network
from glassnet.engine.losses import get_loss
from glassnet.engine.targets import Targets


# ---------------------------------------------------------------------- the engine
def test_a_target_config_without_n_outputs_is_refused_by_name():
    # It used to make Targets with n_outputs None, which failed later as "y must have
    # shape (2, None)".
    with pytest.raises(ValueError, match=r"n_outputs must be a whole number in \[1, inf\)"):
        Targets.from_config({"kind": "values", "classes": None}, get_loss("mse"))


def test_class_targets_without_their_labels_are_refused_when_made():
    # It used to fail at the first encode, inside np.searchsorted, with a TypeError.
    with pytest.raises(ValueError, match="'classes' need their class labels, got None"):
        Targets("classes", None, 3)
    with pytest.raises(ValueError, match="unknown kind 'labels'"):
        Targets("labels", None, 1)


def test_plain_value_targets_have_no_labels_to_read():
    targets = Targets("values", None, 1)
    with pytest.raises(ValueError, match="plain values: they have no class labels"):
        _ = targets.labels


def test_a_network_whose_last_layer_was_swapped_for_a_dropout_says_so():
    # Network() checks the last layer; a list changed afterwards used to fail deep in the
    # pass with an AttributeError (a Dropout layer has no activation and no cache).
    net = Network([Dense(1, 2), Dense(2, 1)], seed=0)
    net.layers.append(Dropout(0.5))
    with pytest.raises(TypeError, match=r"last layer must be a Dense layer, got Dropout\(0.5\)"):
        net.fit([[1.0]], [1.0])
