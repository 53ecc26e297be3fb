"""Train glassnet on real and classic data sets and print the figures.

    python examples/real_data.py

- scikit-learn's bundled digits: 80/20 split (random_state 0), standardised, a 64-64-10
  ReLU network, Adam, batch 32, 50 epochs: test accuracy.
- Two spirals (1,000 points, noise 0.1): training accuracy.
- A noisy sine: R^2 on held-out points.
"""

import time

from glassnet import Dense, EarlyStopping, Network
from glassnet.datasets import load_digits, make_sine, make_spirals


def digits() -> None:
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    network = Network(
        [Dense(64, 64, "relu", l2=1e-3), Dense(64, 10, "softmax", l2=1e-3)],
        loss="crossentropy",
        seed=0,
    )
    print(network.summary())
    start = time.perf_counter()
    history = network.fit(X_train, y_train, epochs=50, batch_size=32, optimizer="adam",
                          learning_rate=0.001, validation_split=0.1)  # fmt: skip
    seconds = time.perf_counter() - start
    figures = network.evaluate(X_test, y_test)
    val_accuracy = history.history["val_accuracy"][-1]
    print(f"digits: test accuracy {figures['accuracy']:.4f}, "
          f"final val_accuracy {val_accuracy:.4f}, {seconds:.2f} s\n")  # fmt: skip


def spirals() -> None:
    X, y = make_spirals(1000, noise=0.1, seed=0)
    X = X / 5
    network = Network([Dense(2, 64, "relu"), Dense(64, 64, "relu"), Dense(64, 1, "sigmoid")],
                      loss="binary_crossentropy", seed=0)  # fmt: skip
    start = time.perf_counter()
    network.fit(X, y, epochs=800, batch_size=32, optimizer="adam", learning_rate=0.01)
    seconds = time.perf_counter() - start
    print(f"spirals: training accuracy {network.evaluate(X, y)['accuracy']:.4f}, "
          f"{seconds:.2f} s")  # fmt: skip


def sine() -> None:
    X, y = make_sine(600, seed=0)
    network = Network([Dense(1, 32, "tanh"), Dense(32, 32, "tanh"), Dense(32, 1, "identity")],
                      loss="mse", seed=0)  # fmt: skip
    stopper = EarlyStopping(monitor="val_loss", patience=30, restore_best_weights=True)
    network.fit(X[:400], y[:400], epochs=300, batch_size=32, optimizer="adam",
                learning_rate=0.01, validation_split=0.2, callbacks=[stopper])  # fmt: skip
    figures = network.evaluate(X[400:], y[400:])
    print(f"sine: held-out R^2 {figures['r2']:.4f}, mae {figures['mae']:.4f}")


if __name__ == "__main__":
    digits()
    spirals()
    sine()
