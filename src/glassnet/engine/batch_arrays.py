"""The arrays a layer keeps from one training pass to the next while ``fit`` runs, so
that a step allocates no array: for each batch size, z, a and delta of (rows, n_outputs)
and, once asked for, dE/dX of (rows, n_inputs).

A batch no larger than the largest seen (the last of an epoch is often smaller) takes the
leading rows of the largest's arrays, so it takes no memory of its own; a larger batch
gets new arrays, and the smaller batches' views are made again from them.

Example:
    >>> import numpy as np
    >>> kept = BatchArrays(3, 2, np.float64)
    >>> z, a, delta = kept.of(8)
    >>> small = kept.of(5)
    >>> small[0].shape, small[0].base is z
    ((5, 2), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["BatchArrays"]


class BatchArrays:
    """The kept [z, a, delta] per batch size of a layer with ``n_inputs`` inputs and
    ``n_outputs`` units, in ``dtype``; ``input_gradient(rows)`` adds dE/dX.

    Example:
        >>> import numpy as np
        >>> kept = BatchArrays(3, 2, np.float32)
        >>> [array.shape for array in kept.of(4)], kept.input_gradient(4).shape
        ([(4, 2), (4, 2), (4, 2)], (4, 3))
        >>> kept.of(4) is kept.of(4)
        True
    """

    def __init__(self, n_inputs: int, n_outputs: int, dtype: DTypeLike) -> None:
        self.n_inputs, self.n_outputs = n_inputs, n_outputs
        self.dtype = np.dtype(dtype)
        self._by_rows: dict[int, list[NDArray[Any]]] = {}
        self._largest: list[NDArray[Any]] | None = None  # z, a, delta (and dE/dX) of it
        self._input_gradient: NDArray[Any] | None = None  # dE/dX of the largest batch

    def of(self, rows: int) -> list[NDArray[Any]]:
        """[z, a, delta] for a batch of ``rows`` rows, the same arrays every pass.

        Example:
            >>> import numpy as np
            >>> BatchArrays(1, 4, np.float64).of(2)[1].shape
            (2, 4)
        """
        kept = self._by_rows.get(rows)
        if kept is None:
            kept = self._by_rows[rows] = self._arrays_for(rows)
        return kept

    def _arrays_for(self, rows: int) -> list[NDArray[Any]]:
        largest = self._largest
        if largest is not None and largest[0].shape[0] >= rows:
            return [array[:rows] for array in largest]
        self._by_rows.clear()  # the smaller batches' views are made again from the new arrays
        self._input_gradient = None
        shape = (rows, self.n_outputs)
        self._largest = [np.empty(shape, self.dtype) for _ in range(3)]
        return self._largest

    def input_gradient(self, rows: int) -> NDArray[Any]:
        """dE/dX's array of ``rows`` rows: made once for the largest batch (the leading
        rows of it for a smaller one), when a pass first asks for it (the first Dense
        layer's never is).

        Example:
            >>> import numpy as np
            >>> kept = BatchArrays(3, 1, np.float64); _ = kept.of(6)
            >>> np.shares_memory(kept.input_gradient(2), kept.input_gradient(6))
            True
        """
        if self._input_gradient is None:
            largest = self.of(rows) if self._largest is None else self._largest
            shape = (largest[0].shape[0], self.n_inputs)
            self._input_gradient = np.empty(shape, self.dtype)
        return self._input_gradient[:rows]
