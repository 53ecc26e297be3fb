"""The trace's notation (glassbox/notation.py): layer names, and formulas and numbers in LaTeX."""

import numpy as np
import pytest

from glassnet.glassbox.notation import (
    PLACEHOLDER,
    latex_formula,
    latex_number,
    latex_with_numbers,
    layer_tag,
)


def test_a_network_of_one_layer_drops_the_layer_number():
    assert layer_tag(1)("W", 1) == "W"
    assert layer_tag(2)("W", 1) == "W[1]"
    assert layer_tag(3)("new b", 3) == "new b[3]"


def test_numbers_in_latex():
    assert latex_number(0.5) == "0.5"
    assert latex_number(0.5274723043445937, digits=4) == "0.5275"
    assert latex_number(1.5e-05) == r"1.5 \times 10^{-5}"
    assert latex_number(float("nan")) == r"\text{NaN}"
    assert latex_number(-np.inf) == r"-\infty"
    assert latex_number([[2.0]]) == "2.0"  # a 1 x 1 matrix reads as its number
    matrix = r"\begin{bmatrix}1.0 & 2.0 \\ 3.0 & 4.0\end{bmatrix}"
    assert latex_number([[1.0, 2.0], [3.0, 4.0]]) == matrix


def test_large_matrices_keep_both_ends():
    text = latex_number(np.arange(80.0).reshape(8, 10), digits=2)
    rows = text.removeprefix(r"\begin{bmatrix}").removesuffix(r"\end{bmatrix}").split(r" \\ ")
    assert len(rows) == 7  # three rows, the dots, three rows
    assert rows[0] == r"0 & 1 & 2 & \cdots & 7 & 8 & 9"
    assert rows[3] == r"\vdots & \vdots & \vdots & \ddots & \vdots & \vdots & \vdots"
    assert rows[-1].endswith("79")


@pytest.mark.parametrize(
    ("formula", "latex"),
    [
        ("dE/da", r"\frac{\partial E}{\partial {a}}"),
        ("da/dz[2]", r"\frac{\partial {a^{[2]}}}{\partial {z^{[2]}}}"),
        ("dz/dw1", r"\frac{\partial {z}}{\partial {w_{1}}}"),
        ("delta[1]", r"{\delta^{[1]}}"),
        ("new W[1]", r"\text{new }{W^{[1]}}"),
        ("W - learning_rate * dE/dW", r"{W} - \eta \cdot \frac{\partial E}{\partial {W}}"),
        ("x^T @ delta + l2 * W", r"{x}^\top \, {\delta} + \lambda \cdot {W}"),
        ("sum over samples of delta", r"\sum_{\text{samples}} {\delta}"),
        ("1 / (1 + exp(-z))", r"1 / (1 + \exp(-{z}))"),
        ("a_k = exp(z_k) / sum_j exp(z_j)", r"{a_{k}} = \exp({z_{k}}) / \sum_{j} \exp({z_{j}})"),
        ("the inputs", r"\text{ the inputs }"),
        ("1 if z > theta else 0", r"1 \text{ if } {z} > \theta \text{ else } 0"),
    ],
)
def test_formulas_in_latex(formula, latex):
    assert latex_formula(formula) == latex


def test_products_of_matrices_entry_by_entry():
    assert latex_formula("dE/da * da/dz", elementwise=True) == (
        r"\frac{\partial E}{\partial {a}} \odot \frac{\partial {a}}{\partial {z}}"
    )


def test_numbers_go_in_where_the_placeholders_stand():
    skeleton = f"{PLACEHOLDER.format(0)} - {PLACEHOLDER.format(1)} * {PLACEHOLDER.format(2)}"
    assert latex_with_numbers(skeleton, [0.2, 1.0, -0.0353], digits=3) == (
        r"0.2 - 1 \cdot (-0.0353)"
    )
    matrix = latex_with_numbers(PLACEHOLDER.format(0), [[[1.0, -2.0]]])
    assert matrix == r"\begin{bmatrix}1.0 & -2.0\end{bmatrix}"
