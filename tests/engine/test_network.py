"""Network, split over three modules (network_layers, network_passes, network): one class,
reached by its documented paths, with every member it had before the split."""

import pickle

import numpy as np

import glassnet
import glassnet.engine.network
from glassnet import Dense, Network

# Network's public members before engine/network.py was split (2026-12-01).
MEMBERS = [
    "dense_layers", "first_dense_index", "output_layer", "n_inputs", "n_outputs", "classes",
    "parameters", "gradients", "parameter_names", "flat_storage", "count_parameters",
    "get_weights", "set_weights", "forward", "propagate", "loss_and_gradients",
    "compute_loss", "encode_targets", "predict_proba", "predict", "default_metrics",
    "evaluate", "pre_activations", "fit", "trace", "summary", "config", "copy",
]  # fmt: skip


def test_network_is_one_class_under_both_paths_with_every_member():
    assert glassnet.Network is glassnet.engine.network.Network
    assert [name for name in MEMBERS if not hasattr(Network, name)] == []


def test_a_pickle_names_the_documented_module_and_loads_as_views_of_its_flat_storage():
    net = Network([Dense(2, 3, "tanh"), Dense(3, 1)], seed=0)
    data = pickle.dumps(net)
    assert b"glassnet.engine.network" in data and b"network_layers" not in data
    loaded = pickle.loads(data)
    assert type(loaded) is Network
    flat, _ = loaded.flat_storage()
    assert all(p.base is flat for p in loaded.parameters)
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))
