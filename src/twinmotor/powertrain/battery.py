"""Traction battery: open-circuit voltage, internal resistance, power limits, coulomb counting.

An equivalent circuit of one voltage source ``V_oc(SOC)`` and one series resistance ``R`` (no RC
branches: the pack's time constants of tens of seconds matter little for vehicle dynamics and for
drive-cycle energy). The pack is ``cells_in_series`` cells in series; ``R`` is the whole pack's DC
resistance. Build the coefficient array with :func:`battery_coefficients`, index it with ``B_*``.

Sign convention: current and power are positive when discharging (the car draws from the battery).

References
----------
- G. L. Plett, *Battery Management Systems, Vol. I: Battery Modeling*, Artech House, 2015, ch. 2
  (equivalent-circuit cell model, OCV-SOC relation, coulomb counting).
- Nissan LEAF e+ (2019): 62 kWh, 288 cells (96s3p), about 350 V nominal.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from twinmotor.vehicle.schema import Battery

#: the documents this model relies on (keys of twinmotor/data/CITATIONS.bib)
CITATIONS = ("plett2015equivalentcircuit",)

# --- cell open-circuit voltage ------------------------------------------------------------------
#: SOC grid of the OCV table, -, uniform 0.05 steps.
CELL_OCV_SOC = np.linspace(0.0, 1.0, 21)
#: Cell OCV of an NMC/graphite cell, V, at CELL_OCV_SOC. *Estimate*: the values are not measured on a
#: LEAF cell; the shape (steep below 10 %, a gentle slope through the middle, rising again above 70 %,
#: 3.0 V empty, ~3.7 V mean, 4.18 V full) follows commonly published NMC/graphite OCV curves
#: (e.g. Plett 2015, ch. 2). Replace with a measured table for a specific cell.
CELL_OCV_V = np.array([
    3.00, 3.30, 3.45, 3.52, 3.56, 3.59, 3.61, 3.63, 3.65, 3.67, 3.69,
    3.72, 3.75, 3.79, 3.83, 3.87, 3.92, 3.97, 4.03, 4.09, 4.18,
])
_OCV_STEP = 1.0 / (CELL_OCV_SOC.size - 1)
#: Nominal (energy-average) cell voltage, V: the mean of OCV over SOC, so that
#: energy = capacity_Ah * nominal voltage holds for a full discharge at low current.
NOMINAL_CELL_VOLTAGE = float(np.sum(0.5 * (CELL_OCV_V[1:] + CELL_OCV_V[:-1])) * _OCV_STEP)
#: Cell voltage limits of NMC/graphite cells, V (typical datasheet discharge cut-off and charge limit).
CELL_VOLTAGE_MIN = 2.5
CELL_VOLTAGE_MAX = 4.2
#: Below this SOC the discharge power limit falls linearly to 0 at SOC 0 (BMS low-SOC protection).
EMPTY_FADE_SOC = 0.05

# --- coefficient array layout -------------------------------------------------------------------
B_CELLS_S = 0          # -, cells in series
B_CELLS_P = 1          # -, cells in parallel
B_CAPACITY_AH = 2      # A*h, pack charge capacity
B_R_OHM = 3            # ohm, pack DC resistance
B_P_DIS_W = 4          # W, discharge power limit (terminal)
B_P_CHG_W = 5          # W, charge (regen) power limit at mid SOC (terminal), >= 0
B_TAPER_SOC = 6        # -, SOC where the charge limit starts falling to 0 at SOC 1
B_CAPACITY_KWH = 7     # kWh, gross energy at nominal voltage
B_USABLE_FRACTION = 8  # -, usable / gross energy
B_INITIAL_SOC = 9      # -
B_V_NOMINAL = 10       # V, pack nominal voltage
B_V_MIN = 11           # V, pack minimum terminal voltage
B_V_MAX = 12           # V, pack maximum terminal voltage
N_BATTERY = 13


def nominal_pack_voltage(b: Battery) -> float:
    """Pack nominal voltage, V: ``cells_in_series * NOMINAL_CELL_VOLTAGE`` (LEAF 96s: about 356 V)."""
    return b.cells_in_series * NOMINAL_CELL_VOLTAGE


def battery_coefficients(b: Battery) -> np.ndarray:
    """The battery's flat coefficient array for the compiled plant (``B_*`` index constants).

    Parameters
    ----------
    b : the battery block of the vehicle parameters.

    Returns
    -------
    float64 array of length ``N_BATTERY``; charge capacity from energy at nominal voltage::

        Q [A*h] = capacity_kwh * 1000 / (cells_in_series * V_cell,nominal)
    """
    c = np.zeros(N_BATTERY, dtype=np.float64)
    v_nom = nominal_pack_voltage(b)
    c[B_CELLS_S] = b.cells_in_series
    c[B_CELLS_P] = b.cells_in_parallel
    c[B_CAPACITY_AH] = b.capacity_kwh * 1e3 / v_nom
    c[B_R_OHM] = b.internal_resistance_ohm
    c[B_P_DIS_W] = b.max_discharge_power_kw * 1e3
    c[B_P_CHG_W] = b.max_charge_power_kw * 1e3
    c[B_TAPER_SOC] = b.charge_taper_start_soc
    c[B_CAPACITY_KWH] = b.capacity_kwh
    c[B_USABLE_FRACTION] = b.usable_fraction
    c[B_INITIAL_SOC] = b.initial_soc
    c[B_V_NOMINAL] = v_nom
    c[B_V_MIN] = b.cells_in_series * CELL_VOLTAGE_MIN
    c[B_V_MAX] = b.cells_in_series * CELL_VOLTAGE_MAX
    return c


# --- compiled relations (hot loop) --------------------------------------------------------------
@njit(cache=True)
def cell_open_circuit_voltage(soc):
    """Open-circuit voltage of one cell, V, linear interpolation in :data:`CELL_OCV_V`.

    Parameters
    ----------
    soc : state of charge, - (clipped to [0, 1]).

    References
    ----------
    Table shape after Plett (2015), ch. 2; values *estimate* (see :data:`CELL_OCV_V`).
    """
    s = min(max(soc, 0.0), 1.0)
    x = s / _OCV_STEP
    i = min(int(x), CELL_OCV_V.size - 2)
    f = x - i
    return CELL_OCV_V[i] + f * (CELL_OCV_V[i + 1] - CELL_OCV_V[i])


@njit(cache=True)
def open_circuit_voltage(soc, c):
    """Pack open-circuit voltage, V: ``cells_in_series * V_cell,oc(soc)``.

    Parameters
    ----------
    soc : state of charge, - (clipped to [0, 1]).
    c : battery coefficient array (``B_*``).
    """
    return c[B_CELLS_S] * cell_open_circuit_voltage(soc)


@njit(cache=True)
def current_from_power(p_w, v_oc, r_ohm):
    """Pack current that delivers a terminal power, A (positive discharging).

    Parameters
    ----------
    p_w : power at the terminals, W (negative when charging / regenerating).
    v_oc : open-circuit voltage, V (> 0).
    r_ohm : series resistance, ohm (>= 0).

    Returns
    -------
    The physical (smaller-magnitude) root of ``P = V_oc I - R I^2``::

        I = (V_oc - sqrt(V_oc^2 - 4 R P)) / (2 R) = 2 P / (V_oc + sqrt(V_oc^2 - 4 R P))

    (the second form, used here, has no cancellation at small P). If ``P > V_oc^2 / (4 R)``, the
    most the source can deliver, the max-power current ``V_oc / (2 R)`` is returned: the plant then
    sees the limited power.

    References
    ----------
    Plett (2015), ch. 2: Rint equivalent circuit, ``V_t = V_oc - R I``.
    """
    if v_oc <= 0.0:
        return 0.0
    if r_ohm <= 0.0:
        return p_w / v_oc
    disc = v_oc * v_oc - 4.0 * r_ohm * p_w
    if disc <= 0.0:
        return v_oc / (2.0 * r_ohm)
    return 2.0 * p_w / (v_oc + np.sqrt(disc))


@njit(cache=True)
def terminal_voltage(v_oc, i, r):
    """Terminal voltage, V: ``V_t = V_oc - R I`` (I positive discharging).

    Parameters
    ----------
    v_oc : open-circuit voltage, V.
    i : current, A.
    r : series resistance, ohm.
    """
    return v_oc - i * r


@njit(cache=True)
def soc_rate(i_a, c):
    """Rate of change of state of charge, 1/s (coulomb counting).

    Parameters
    ----------
    i_a : pack current, A (positive discharging).
    c : battery coefficient array.

    Returns
    -------
    ``dSOC/dt = -I / (3600 Q)``, Q the capacity in A*h.

    References
    ----------
    Plett (2015), ch. 2, state equation of SOC (coulombic efficiency 1).
    """
    return -i_a / (3600.0 * c[B_CAPACITY_AH])


@njit(cache=True)
def power_limits(soc, c):
    """Terminal power limits of the pack, W, both >= 0.

    Parameters
    ----------
    soc : state of charge, - (clipped to [0, 1]).
    c : battery coefficient array.

    Returns
    -------
    (p_discharge_max_w, p_charge_max_w)::

        discharge = min(P_dis min(1, SOC / 0.05),        fades to 0 when empty
                        V_min (V_oc - V_min) / R,        terminal voltage >= cells * 2.5 V
                        V_oc^2 / (4 R))                  most a Rint source can give
        charge    = min(P_chg min(1, (1 - SOC) / (1 - SOC_taper)),   0 at SOC 1
                        V_max (V_max - V_oc) / R)        terminal voltage <= cells * 4.2 V

    References
    ----------
    Plett, *Battery Management Systems, Vol. II*, Artech House, 2015, ch. 7 (voltage-based power
    limits of an equivalent-circuit model).
    """
    s = min(max(soc, 0.0), 1.0)
    v_oc = open_circuit_voltage(s, c)
    r = c[B_R_OHM]
    v_min = c[B_V_MIN]
    v_max = c[B_V_MAX]

    p_dis = c[B_P_DIS_W] * min(1.0, s / EMPTY_FADE_SOC)
    p_dis = min(p_dis, max(v_min * (v_oc - v_min) / r, 0.0), v_oc * v_oc / (4.0 * r))

    taper = c[B_TAPER_SOC]
    if taper < 1.0:
        fade = min(1.0, (1.0 - s) / (1.0 - taper))
    else:
        fade = 1.0 if s < 1.0 else 0.0
    p_chg = c[B_P_CHG_W] * fade
    p_chg = min(p_chg, max(v_max * (v_max - v_oc) / r, 0.0))
    return max(p_dis, 0.0), max(p_chg, 0.0)
