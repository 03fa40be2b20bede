"""A driver who learns from practice runs: iterative learning control of the path it steers for.

Like a test driver who makes practice runs at each speed, the driver adds the lateral error of the
centre of gravity against its line, measured along the track, times a learning gain, to the path it
steers for on the next attempt.

References
----------
Arimoto, S., Kawamura, S., Miyazaki, F., Bettering operation of robots by learning, J. Robotic
Systems 1(2), 1984.
"""

from __future__ import annotations

import numpy as np

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("arimoto1984bettering",)


def learn_path(path_y_m: np.ndarray, line_x_m: np.ndarray, line_y_m: np.ndarray, run_x_m: np.ndarray,
               run_y_m: np.ndarray, gain: float) -> np.ndarray:
    """The path [m] to steer for on the next attempt: path_y_m + gain * (line - achieved), the
    achieved lateral position of the run (run_x_m, run_y_m, track coordinates [m]) interpolated at
    the line's nodes line_x_m, over the part of the run where the car still moved forward; nodes the
    run never reached keep their path. gain [-]."""
    xt = run_x_m
    ok = np.concatenate([[True], np.diff(xt) > 0.0])
    ok &= np.cumprod(ok).astype(bool)  # keep the part where the car still moves forward
    y_act = np.interp(line_x_m, xt[ok], run_y_m[ok], left=np.nan, right=np.nan)
    err = np.where(np.isfinite(y_act), line_y_m - y_act, 0.0)
    return path_y_m + gain * err
