"""The benchmark workloads, written once for each library.

A worker process imports one library and runs cases sent to it as JSON (see ``run.py``);
each case function returns plain numbers. Timings cover ``fit`` (or the training loop)
only: the data are loaded and the library warmed up before the clock starts.

Example:
    >>> CASES["glassnet"]["xor"]({"epochs": 10, "seed": 0, "learning_rate": 0.5})["epochs"]
    10
"""

from __future__ import annotations

import ctypes
import gc
import math
import os
import time
import warnings
from collections.abc import Callable

import numpy as np

# Workload 2's data: the OR gate for the perceptron, XOR for the 2-4-1 network.
GATE_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
OR_Y = np.array([0, 1, 1, 1])
XOR_Y = np.array([0, 1, 1, 0])
# Tutorial 002's starting weights: numpy's legacy seed 42, randn(2).
PERCEPTRON_WEIGHTS = [0.49671415, -0.1382643]

MLP_SIZES = (784, 256, 128, 10)


def mlp_parameter_count(sizes: tuple[int, ...] = MLP_SIZES) -> int:
    """Weights and biases of a fully connected network with these layer widths.

    Example:
        >>> mlp_parameter_count((2, 4, 1))
        17
    """
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


# ---------------------------------------------------------------- memory
def _resident_bytes() -> int:
    """The process's resident set size now."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _release_free_memory() -> None:
    """Hand freed heap memory back to the system, so the next RSS rise is real new use.

    Without it, a case's data could land in memory an earlier case freed and still
    counted in the RSS, and its memory would read as zero.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the figures are upper bounds
        pass


def _reset_peak() -> bool:
    """Restart the kernel's peak-RSS counter (VmHWM) from the current RSS; False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _peak_bytes() -> int:
    """The process's peak resident set size since the last ``_reset_peak``."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM line in /proc/self/status")


def _load_rows(path: str, rows: int | None = None) -> np.ndarray:
    """The first ``rows`` rows of a .npy file as an in-memory array (the file is unmapped)."""
    mapped = np.load(path, mmap_mode="r")
    array = np.array(mapped[:rows] if rows else mapped)
    del mapped
    return array


def _measured(case: dict, train: Callable[[np.ndarray, np.ndarray], dict]) -> dict:
    """Load the case's data, run ``train(X, y)`` and add memory figures to its result.

    ``peak_over_baseline`` is the peak RSS during loading and training minus the RSS
    before the data were loaded: the data themselves plus whatever training adds.
    """
    _release_free_memory()
    baseline = _resident_bytes()
    X = _load_rows(case["x_path"], case["rows"])
    y = _load_rows(case["y_path"], case["rows"])
    can_reset = _reset_peak()
    result = train(X, y)
    result["baseline_rss"] = baseline
    result["peak_over_baseline"] = (_peak_bytes() if can_reset else 0) - baseline
    result["data_bytes"] = X.nbytes + y.nbytes
    predict = result.pop("predict")
    if "test_x_path" in case:
        del X, y
        gc.collect()
        X_test, y_test = np.load(case["test_x_path"]), np.load(case["test_y_path"])
        result["test_accuracy"] = float(np.mean(predict(X_test) == y_test))
    return result


def _timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


# ---------------------------------------------------------------- glassnet
def _glassnet_network(sizes, activation, output, seed, dtype):
    import glassnet as gn

    layers = [gn.Dense(a, b, activation) for a, b in zip(sizes[:-2], sizes[1:-1], strict=True)]
    layers.append(gn.Dense(sizes[-2], sizes[-1], output))
    loss = "crossentropy" if output == "softmax" else "binary_crossentropy"
    return gn.Network(layers, loss=loss, seed=seed, dtype=dtype)


def _glassnet_mlp(case: dict) -> dict:
    def train(X, y):
        warm = _glassnet_network(MLP_SIZES, "relu", "softmax", case["seed"], np.float32)
        warm.fit(X[:2048], y[:2048], batch_size=case["batch"], optimizer=case["optimizer"])
        net = _glassnet_network(MLP_SIZES, "relu", "softmax", case["seed"], np.float32)
        seconds, history = _timed(
            lambda: net.fit(
                X,
                y,
                epochs=case["epochs"],
                batch_size=case["batch"],
                optimizer=case["optimizer"],
                learning_rate=case["learning_rate"],
            )
        )
        return {"seconds": seconds, "loss": history.loss[-1], "predict": net.predict}

    return _measured(case, train)


def _glassnet_xor(case: dict) -> dict:
    net = _glassnet_network((2, 4, 1), "sigmoid", "sigmoid", case["seed"], np.float64)
    _glassnet_network((2, 4, 1), "sigmoid", "sigmoid", 0, np.float64).fit(GATE_X, XOR_Y, epochs=100)
    seconds, history = _timed(
        lambda: net.fit(GATE_X, XOR_Y, epochs=case["epochs"], learning_rate=case["learning_rate"])
    )
    solved = bool(np.array_equal(net.predict(GATE_X), XOR_Y))
    return {"seconds": seconds, "epochs": len(history), "loss": history.loss[-1], "solved": solved}


def _glassnet_perceptron(case: dict) -> dict:
    from glassnet import Perceptron

    def fits() -> int:
        # The rule converges on OR in 3 epochs, so fresh perceptrons add up the epochs.
        epochs = 0
        while epochs < case["epochs"]:
            perceptron = Perceptron(2, learning_rate=0.1, weights=PERCEPTRON_WEIGHTS)
            epochs += len(perceptron.fit(GATE_X, OR_Y, max_epochs=case["epochs"]).epochs_)
        return epochs

    fits()
    seconds, epochs = _timed(fits)
    return {"seconds": seconds, "epochs": epochs, "solved": True}


def _glassnet_digits(case: dict) -> dict:
    data = np.load(case["digits_path"])
    accuracies, seconds = [], []
    for seed in case["seeds"]:
        net = _glassnet_network((64, 64, 10), "relu", "softmax", seed, np.float64)
        took, _ = _timed(
            lambda net=net: net.fit(
                data["X_train"],
                data["y_train"],
                epochs=case["epochs"],
                batch_size=case["batch"],
                optimizer="adam",
                learning_rate=case["learning_rate"],
            )
        )
        seconds.append(took)
        accuracies.append(float(np.mean(net.predict(data["X_test"]) == data["y_test"])))
    return {"seconds": float(np.mean(seconds)), "accuracies": accuracies}


def _profile(run: Callable[[], object], steps: int) -> list[dict]:
    """cProfile of ``run()``: the 14 functions with the most own time, per step."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    rows = []
    for (path, line, name), (_, calls, own, total, _) in pstats.Stats(profiler).stats.items():
        rows.append(
            {
                "function": f"{os.path.basename(path)}:{name}" if line else name,
                "calls": calls,
                "own_us_per_step": own / steps * 1e6,
                "total_us_per_step": total / steps * 1e6,
            }
        )
    rows.sort(key=lambda row: -row["own_us_per_step"])
    return rows[:14]


def _glassnet_profile(case: dict) -> dict:
    """Where a workload-1 fit spends its time: a profile per step, and, timed without the
    profiler, one epoch against the evaluation of every row that fit does before the
    first update (``history.initial``)."""
    from glassnet.engine.evaluation import measure

    X = _load_rows(case["x_path"], case["rows"])
    y = _load_rows(case["y_path"], case["rows"])
    net = _glassnet_network(MLP_SIZES, "relu", "softmax", case["seed"], np.float32)
    options = {"batch_size": case["batch"], "optimizer": case["optimizer"]}
    net.fit(X[:2048], y[:2048], **options)
    steps = math.ceil(len(X) / case["batch"])
    functions = _profile(lambda: net.fit(X, y, epochs=1, **options), steps)
    fit_seconds, _ = _timed(lambda: net.fit(X, y, epochs=1, **options))
    X_checked, Y = net.encode_targets(X, y)  # fit checks and encodes once, then evaluates
    evaluate_seconds, _ = _timed(lambda: measure(net, X_checked, Y, ["accuracy"]))
    return {"steps": steps, "functions": functions, "fit_seconds": fit_seconds,
            "evaluate_seconds": evaluate_seconds}  # fmt: skip


def _glassnet_phases(case: dict) -> dict:
    """Where a default workload-1 fit spends its time, timed without a profiler: the
    evaluation of every row before the first update (``history.initial``), each step's
    forward and backward pass (``Network.loss_and_gradients``, the matrix products among
    them), the optimizer's update, and the rest (the rows copied into the batch, the
    outputs kept for the epoch's accuracy, each epoch's end: checks, metrics, callbacks).

    The fit is the default one; only timers are wrapped around the network's method, the
    optimizer's step and the evaluation that ``begin`` calls.
    """
    import glassnet as gn
    from glassnet.engine import training

    X = _load_rows(case["x_path"], case["rows"])
    y = _load_rows(case["y_path"], case["rows"])
    options = {"epochs": case["epochs"], "batch_size": case["batch"]}
    warm = _glassnet_network(MLP_SIZES, "relu", "softmax", case["seed"], np.float32)
    warm.fit(X[:2048], y[:2048], batch_size=case["batch"], optimizer=case["optimizer"])
    net = _glassnet_network(MLP_SIZES, "relu", "softmax", case["seed"], np.float32)
    optimizer = gn.get_optimizer(case["optimizer"], case["learning_rate"])
    spent = {"passes": 0.0, "update": 0.0, "evaluation": 0.0}

    def timed(name: str, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    net.loss_and_gradients = timed("passes", net.loss_and_gradients)
    optimizer.step = timed("update", optimizer.step)
    measure = training.measure
    training.measure = timed("evaluation", measure)
    try:
        seconds, _ = _timed(lambda: net.fit(X, y, optimizer=optimizer, **options))
    finally:
        training.measure = measure
    steps = math.ceil(len(X) / case["batch"]) * case["epochs"]
    return {"steps": steps, "seconds": seconds, "batch": case["batch"], **spent}


def _glassnet_xor_profile(case: dict) -> dict:
    """Where an epoch of the 2-4-1 XOR network goes, per epoch."""
    net = _glassnet_network((2, 4, 1), "sigmoid", "sigmoid", case["seed"], np.float64)

    def run() -> None:
        net.fit(GATE_X, XOR_Y, epochs=case["epochs"], learning_rate=case["learning_rate"])

    return {"steps": case["epochs"], "functions": _profile(run, case["epochs"])}


# ---------------------------------------------------------------- scikit-learn
def _sklearn_classifier(hidden, activation, solver, case, seed, epochs):
    from sklearn.neural_network import MLPClassifier

    options = {"momentum": 0.0, "nesterovs_momentum": False} if solver == "sgd" else {}
    return MLPClassifier(
        hidden_layer_sizes=hidden,
        activation=activation,
        solver=solver,
        alpha=0.0,
        batch_size=case["batch"],
        learning_rate_init=case["learning_rate"],
        max_iter=epochs,
        shuffle=case.get("shuffle", True),
        random_state=seed,
        tol=0.0,
        n_iter_no_change=epochs + 1,  # no early stop: exactly `epochs` passes
        **options,
    )


def _quiet_fit(model, X, y):
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _sklearn_mlp(case: dict) -> dict:
    def train(X, y):
        warm = _sklearn_classifier((256, 128), "relu", case["optimizer"], case, case["seed"], 1)
        _quiet_fit(warm, X[:2048], y[:2048])
        model = _sklearn_classifier(
            (256, 128), "relu", case["optimizer"], case, case["seed"], case["epochs"]
        )
        seconds, _ = _timed(lambda: _quiet_fit(model, X, y))
        return {"seconds": seconds, "loss": float(model.loss_), "predict": model.predict}

    return _measured(case, train)


def _sklearn_xor(case: dict) -> dict:
    settings = {**case, "batch": 4, "shuffle": False}
    _quiet_fit(_sklearn_classifier((4,), "logistic", "sgd", settings, 0, 100), GATE_X, XOR_Y)
    model = _sklearn_classifier((4,), "logistic", "sgd", settings, case["seed"], case["epochs"])
    seconds, _ = _timed(lambda: _quiet_fit(model, GATE_X, XOR_Y))
    solved = bool(np.array_equal(model.predict(GATE_X), XOR_Y))
    return {
        "seconds": seconds,
        "epochs": model.n_iter_,
        "loss": float(model.loss_),
        "solved": solved,
    }


def _sklearn_perceptron(case: dict) -> dict:
    from sklearn.linear_model import Perceptron

    def make():
        # tol=None: no stopping criterion, so exactly max_iter epochs (sample by sample).
        return Perceptron(
            eta0=0.1, fit_intercept=False, max_iter=case["epochs"], tol=None, shuffle=False
        )

    make().fit(GATE_X, OR_Y)
    model = make()
    seconds, _ = _timed(lambda: model.fit(GATE_X, OR_Y))
    solved = bool(np.array_equal(model.predict(GATE_X), OR_Y))
    return {"seconds": seconds, "epochs": int(model.n_iter_), "solved": solved}


def _sklearn_digits(case: dict) -> dict:
    data = np.load(case["digits_path"])
    accuracies, seconds = [], []
    for seed in case["seeds"]:
        model = _sklearn_classifier((64,), "relu", "adam", case, seed, case["epochs"])
        took, _ = _timed(lambda model=model: _quiet_fit(model, data["X_train"], data["y_train"]))
        seconds.append(took)
        accuracies.append(float(np.mean(model.predict(data["X_test"]) == data["y_test"])))
    return {"seconds": float(np.mean(seconds)), "accuracies": accuracies}


# ---------------------------------------------------------------- PyTorch
def _torch_network(sizes, activation, seed, dtype):
    import torch

    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out, dtype=dtype), activation()]
    return torch.nn.Sequential(*layers[:-1])  # the loss applies the output activation


def _torch_train(model, optimizer, loss_function, X, y, epochs, batch, seed) -> float:
    """The usual loop: shuffle, forward, loss, backward, step; returns the last epoch's loss."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    n = X.shape[0]
    total = 0.0
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator) if batch < n else None
        total = 0.0
        for start in range(0, n, batch):
            if order is None:
                inputs, targets = X[start : start + batch], y[start : start + batch]
            else:
                rows = order[start : start + batch]
                inputs, targets = X[rows], y[rows]
            optimizer.zero_grad()
            loss = loss_function(model(inputs), targets)
            loss.backward()
            optimizer.step()
            total += loss.item() * inputs.shape[0]
    return total / n


def _torch_optimizer(name, model, learning_rate):
    import torch

    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=learning_rate)
    return torch.optim.Adam(model.parameters(), lr=learning_rate)


def _torch_mlp(case: dict) -> dict:
    import torch

    def fit(X, y, epochs):
        model = _torch_network(MLP_SIZES, torch.nn.ReLU, case["seed"], torch.float32)
        optimizer = _torch_optimizer(case["optimizer"], model, case["learning_rate"])
        loss_function = torch.nn.CrossEntropyLoss()
        loss = _torch_train(
            model, optimizer, loss_function, X, y, epochs, case["batch"], case["seed"]
        )
        return model, loss

    def train(X, y):
        X, y = torch.from_numpy(X), torch.from_numpy(y)  # shares the arrays' memory
        fit(X[:2048], y[:2048], 1)
        seconds, (model, loss) = _timed(lambda: fit(X, y, case["epochs"]))

        def predict(X_test):
            with torch.no_grad():
                return model(torch.from_numpy(X_test)).argmax(dim=1).numpy()

        return {"seconds": seconds, "loss": loss, "predict": predict}

    return _measured(case, train)


def _torch_xor(case: dict) -> dict:
    import torch

    X = torch.from_numpy(GATE_X)
    y = torch.from_numpy(XOR_Y.astype(np.float64)).reshape(-1, 1)

    def fit(epochs, seed):
        model = _torch_network((2, 4, 1), torch.nn.Sigmoid, seed, torch.float64)
        optimizer = _torch_optimizer("sgd", model, case["learning_rate"])
        loss_function = torch.nn.BCEWithLogitsLoss()
        loss = _torch_train(model, optimizer, loss_function, X, y, epochs, 4, seed)
        return model, loss

    fit(100, 0)
    seconds, (model, loss) = _timed(lambda: fit(case["epochs"], case["seed"]))
    with torch.no_grad():
        solved = bool(np.array_equal((model(X)[:, 0] > 0).numpy().astype(int), XOR_Y))
    return {"seconds": seconds, "epochs": case["epochs"], "loss": loss, "solved": solved}


def _torch_perceptron(case: dict) -> dict:
    import torch

    X = torch.from_numpy(GATE_X)
    y = torch.from_numpy(OR_Y.astype(np.float64))

    def fit(epochs):
        # The batch rule of tutorial 002, w <- w + alpha * X^T (y - step(X w)), every epoch.
        weights = torch.tensor(PERCEPTRON_WEIGHTS, dtype=torch.float64)
        for _ in range(epochs):
            errors = y - (X @ weights > 0).to(torch.float64)
            weights += 0.1 * (X.T @ errors)
        return weights

    fit(100)
    seconds, weights = _timed(lambda: fit(case["epochs"]))
    solved = bool(np.array_equal((GATE_X @ weights.numpy() > 0).astype(int), OR_Y))
    return {"seconds": seconds, "epochs": case["epochs"], "solved": solved}


def _torch_digits(case: dict) -> dict:
    import torch

    data = np.load(case["digits_path"])
    X = torch.from_numpy(data["X_train"].astype(np.float32))
    y = torch.from_numpy(data["y_train"])
    X_test = torch.from_numpy(data["X_test"].astype(np.float32))
    accuracies, seconds = [], []
    for seed in case["seeds"]:
        model = _torch_network((64, 64, 10), torch.nn.ReLU, seed, torch.float32)
        optimizer = _torch_optimizer("adam", model, case["learning_rate"])
        loss_function = torch.nn.CrossEntropyLoss()
        took, _ = _timed(
            lambda model=model, optimizer=optimizer, loss_function=loss_function, seed=seed: (
                _torch_train(
                    model, optimizer, loss_function, X, y, case["epochs"], case["batch"], seed
                )
            )
        )
        seconds.append(took)
        with torch.no_grad():
            predicted = model(X_test).argmax(dim=1).numpy()
        accuracies.append(float(np.mean(predicted == data["y_test"])))
    return {"seconds": float(np.mean(seconds)), "accuracies": accuracies}


# ---------------------------------------------------------------- the products alone
def _gemm_reference(case: dict) -> dict:
    """Time every matrix product of one training step of the MLP, alone, at its shape.

    For each Dense layer (n_in -> n_out) and batch b: the forward product X @ W
    (b x n_in x n_out), the weight gradient X^T @ delta and the input gradient
    delta @ W^T, in the memory layouts glassnet uses (transposes are views).
    """
    rng = np.random.default_rng(0)
    b, repeats = case["batch"], case["repeats"]
    products = []
    for index, (n_in, n_out) in enumerate(zip(MLP_SIZES[:-1], MLP_SIZES[1:], strict=True)):
        X = rng.standard_normal((b, n_in), dtype=np.float32)
        W = rng.standard_normal((n_in, n_out), dtype=np.float32)
        delta = rng.standard_normal((b, n_out), dtype=np.float32)
        shapes = [
            ("forward X @ W", X, W),
            ("weights X^T @ delta", X.T, delta),
            ("inputs delta @ W^T", delta, W.T),
        ]
        for kind, left, right in shapes:
            out = np.empty((left.shape[0], right.shape[1]), dtype=np.float32)
            for _ in range(20):
                np.matmul(left, right, out=out)
            start = time.perf_counter()
            for _ in range(repeats):
                np.matmul(left, right, out=out)
            seconds = (time.perf_counter() - start) / repeats
            products.append(
                {
                    "layer": index + 1,
                    "product": kind,
                    "flops": 2 * b * n_in * n_out,
                    "seconds": seconds,
                    "skipped_by_glassnet": index == 0 and kind.startswith("inputs"),
                }
            )
    return {"products": products}


# ---------------------------------------------------------------- the floor: bare NumPy
def _bare_mlp_fit(X, y, epochs, batch, optimizer, learning_rate, seed):
    """Workload 1's training as the shortest fast NumPy loop: forward, backward (no input
    gradient for the first layer), update, over shuffled batches, and nothing else: no
    evaluation before training, no loss value, no metrics, no checks. The parameters
    share one flat array and Adam keeps m / (1 - beta1), as in glassnet: the same
    arithmetic in the fewest NumPy calls, not a straw man.
    """
    rng = np.random.default_rng(seed)
    shapes = [(a, b) for a, b in zip(MLP_SIZES[:-1], MLP_SIZES[1:], strict=True)]
    sizes = [a * b + b for a, b in shapes]
    flat = np.zeros(sum(sizes), dtype=np.float32)
    flat_gradients = np.zeros_like(flat)
    weights, biases, grad_weights, grad_biases = [], [], [], []
    start = 0
    for (a, b), size in zip(shapes, sizes, strict=True):
        block, grad_block = flat[start : start + size], flat_gradients[start : start + size]
        block[: a * b] = (rng.standard_normal(a * b) * math.sqrt(2 / a)).astype(np.float32)
        weights.append(block[: a * b].reshape(a, b))
        grad_weights.append(grad_block[: a * b].reshape(a, b))
        biases.append(block[a * b :])
        grad_biases.append(grad_block[a * b :])
        start += size
    one_hot = np.eye(MLP_SIZES[-1], dtype=np.float32)
    m, v, scratch, denominator = (np.zeros_like(flat) for _ in range(4))
    lr, beta1, beta2, epsilon = learning_rate, 0.9, 0.999, 1e-8
    t = 0
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        for begin in range(0, X.shape[0], batch):
            rows = order[begin : begin + batch]
            inputs, targets = X.take(rows, axis=0), one_hot[y.take(rows)]
            activations = [inputs]
            for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
                z = activations[-1] @ W
                z += b
                if layer < len(weights) - 1:
                    z = np.maximum(z, np.zeros_like(z), out=z)
                activations.append(z)
            z = activations[-1]
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
            delta = (z - targets) / np.float32(len(rows))
            for layer in range(len(weights) - 1, -1, -1):
                np.matmul(activations[layer].T, delta, out=grad_weights[layer])
                delta.sum(axis=0, out=grad_biases[layer])
                if layer:
                    delta = delta @ weights[layer].T
                    delta *= activations[layer] > 0
            if optimizer == "sgd":
                flat -= np.float32(lr) * flat_gradients
                continue
            t += 1
            m *= np.float32(beta1)
            m += flat_gradients
            v *= np.float32(beta2)
            np.multiply(flat_gradients, flat_gradients, out=scratch)
            scratch *= np.float32(1 - beta2)
            v += scratch
            b = math.sqrt(1 - beta2**t)
            np.sqrt(v, out=denominator)
            denominator += np.float32(epsilon * b)
            np.multiply(m, np.float32(lr * (1 - beta1) * b / (1 - beta1**t)), out=scratch)
            scratch /= denominator
            flat -= scratch

    def predict(X_test):
        out = X_test
        for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
            out = out @ W + b
            if layer < len(weights) - 1:
                out = np.maximum(out, 0)
        return out.argmax(axis=1)

    return predict


def _bare_mlp(case: dict) -> dict:
    def train(X, y):
        options = {k: case[k] for k in ("batch", "optimizer", "learning_rate", "seed")}
        _bare_mlp_fit(X[:2048], y[:2048], 1, **options)
        seconds, predict = _timed(lambda: _bare_mlp_fit(X, y, case["epochs"], **options))
        return {"seconds": seconds, "loss": None, "predict": predict}  # it computes none

    return _measured(case, train)


def _bare_xor(case: dict) -> dict:
    """One full-batch epoch of the 2-4-1 sigmoid network as bare arithmetic: the least a
    NumPy program can do per epoch (no loss value, no record, no check)."""
    X, Y = GATE_X, XOR_Y.reshape(-1, 1).astype(np.float64)

    def fit(epochs, seed):
        rng = np.random.default_rng(seed)
        W1, b1 = rng.standard_normal((2, 4)), np.zeros(4)
        W2, b2 = rng.standard_normal((4, 1)), np.zeros(1)
        lr = case["learning_rate"]
        for _ in range(epochs):
            a1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
            a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
            delta2 = (a2 - Y) / 4  # sigmoid with cross-entropy
            delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
            W2 -= lr * (a1.T @ delta2)
            b2 -= lr * delta2.sum(axis=0)
            W1 -= lr * (X.T @ delta1)
            b1 -= lr * delta1.sum(axis=0)
        return W1, b1, W2, b2

    fit(100, 0)
    seconds, (W1, b1, W2, b2) = _timed(lambda: fit(case["epochs"], case["seed"]))
    output = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(X @ W1 + b1))) @ W2 + b2)))
    solved = bool(np.array_equal((output[:, 0] > 0.5).astype(int), XOR_Y))
    return {"seconds": seconds, "epochs": case["epochs"], "solved": solved}


# ---------------------------------------------------------------- _environment
def _environment(case: dict) -> dict:
    """Versions, BLAS libraries and thread counts as this worker sees them."""
    from threadpoolctl import threadpool_info

    info = {"numpy": np.__version__, "threadpools": threadpool_info()}
    library = case["library"]
    if library == "glassnet":
        import glassnet

        info["glassnet"] = glassnet.__version__
    elif library == "scikit-learn":
        import sklearn

        info["scikit-learn"] = sklearn.__version__
    else:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        info["torch_blas"] = "MKL" if torch.backends.mkl.is_available() else "other"
        info["threadpools"] = threadpool_info()
    return info


CASES: dict[str, dict[str, Callable[[dict], dict]]] = {
    "glassnet": {
        "mlp": _glassnet_mlp,
        "xor": _glassnet_xor,
        "perceptron": _glassnet_perceptron,
        "digits": _glassnet_digits,
        "profile": _glassnet_profile,
        "phases": _glassnet_phases,
        "xor_profile": _glassnet_xor_profile,
        "gemm": _gemm_reference,
        "bare_mlp": _bare_mlp,
        "bare_xor": _bare_xor,
        "environment": _environment,
    },
    "scikit-learn": {
        "mlp": _sklearn_mlp,
        "xor": _sklearn_xor,
        "perceptron": _sklearn_perceptron,
        "digits": _sklearn_digits,
        "environment": _environment,
    },
    "pytorch": {
        "mlp": _torch_mlp,
        "xor": _torch_xor,
        "perceptron": _torch_perceptron,
        "digits": _torch_digits,
        "environment": _environment,
    },
}
