"""The glass box: traces, checks of a learner's own numbers, gradient checks, the three
views of one step and the tutorials' worked demos. It reads the engine; the engine never
imports it at module level.

Its modules: record (a step into a Trace: the forward pass and the loss), chain (the
backward pass), update (the optimizer's update), trace (the Trace), steps (one named
quantity), worksheet (the trace as text and Markdown), changes (what changed), check,
given, slips and value_slips (a learner's numbers and their slips), notation, gradcheck,
views (the three views), tutorials (the worked demos), display and notebook.
"""
