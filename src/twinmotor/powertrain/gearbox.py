"""Single-reduction gear between a motor and its axle's open differential.

References
----------
- G. Niemann, H. Winter, *Maschinenelemente* Bd. II, Springer, 1989: gear mesh loss as a fraction of
  transmitted power (load-dependent loss); churning (no-load) loss is not modelled here.
"""

from __future__ import annotations

import math

from numba import njit

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("niemann1989maschinenelemente",)

#: Speed (rad/s, motor side) over which the loss torque changes sign: tanh(w / this).
LOSS_SMOOTHING_SPEED_RAD_S = 1.0


@njit(cache=True)
def axle_torque(shaft_torque_nm, motor_speed_rad_s, ratio, efficiency):
    """Torque at the axle (differential input) and the gear loss.

    Parameters
    ----------
    shaft_torque_nm : motor shaft torque into the gear, N*m (negative when regenerating).
    motor_speed_rad_s : motor speed, rad/s (axle speed = motor speed / ratio).
    ratio : reduction ratio, - (motor speed / axle speed, e.g. 8.193 for the LEAF).
    efficiency : mesh efficiency, - (0.8-1).

    Returns
    -------
    (axle_torque_nm, loss_w). The loss is ``(1 - eta) |T w|`` in both power directions, applied as
    a torque opposing rotation, smoothed through zero speed::

        T_loss   = (1 - eta) |T| tanh(w / w_s),       w_s = 1 rad/s
        T_axle   = ratio (T - T_loss)
        P_loss   = T w - T_axle w / ratio = (1 - eta) |T| |w| tanh(|w| / w_s)  >= 0

    Motoring (T w > 0, |w| > ~20 rad/s): ``T_axle = ratio eta T``. Generating: the wheels supply
    ``(2 - eta)|T| w`` so that the motor receives ``|T| w``.

    References
    ----------
    Niemann & Winter (1989): load-dependent mesh loss ~ transmitted power.
    """
    loss_torque = (1.0 - efficiency) * abs(shaft_torque_nm) * math.tanh(motor_speed_rad_s / LOSS_SMOOTHING_SPEED_RAD_S)
    t_axle = ratio * (shaft_torque_nm - loss_torque)
    loss_w = loss_torque * motor_speed_rad_s
    return t_axle, loss_w
