"""The glass box: traces, checks of a learner's own numbers, gradient checks, the three
views of one step and the tutorials' worked demos. It reads the engine; the engine never
imports it at module level.
"""
