"""On-board AC charger: wall-to-battery efficiency as a function of charging power.

    P_battery = P_wall - P_standby - k P_wall          eta(P_wall) = 1 - k - P_standby / P_wall

The fixed part (control units, contactors, coolant pump and the battery management awake while
charging) is why slow charging wastes more: owners of the first LEAF measured about 73 % at 120 V
(level 1, ~1.4 kW) and 84 % at 240 V (level 2, ~3.6 kW) [mynissanleaf2011charging], which these two
terms reproduce with P_standby = 260 W and k = 0.087 (low-trust data; the figures are the presets').
"""

from __future__ import annotations

from twinmotor.errors import ParameterError

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("mynissanleaf2011charging",)


def charger_efficiency(wall_power_w: float, standby_loss_w: float, conversion_loss_fraction: float) -> float:
    """Wall-to-battery efficiency [-] at a wall (AC) power [W]: 1 - k - P_standby / P_wall.

    Raises ParameterError when the losses eat all of the power (a charger that cannot charge)."""
    if wall_power_w <= 0.0:
        raise ParameterError(f"charger.power_kw = {wall_power_w / 1e3!r} is out of range: allowed more than 0 kW")
    eta = 1.0 - conversion_loss_fraction - standby_loss_w / wall_power_w
    if eta <= 0.0:
        raise ParameterError(
            f"charger: standby_loss_w = {standby_loss_w!r} W and conversion_loss_fraction = {conversion_loss_fraction!r} "
            f"take all of power_kw = {wall_power_w / 1e3!r} kW: allowed losses below the charging power")
    return eta
