"""The coefficient contract of the Magic Formula tire: which coefficients the model reads, in the
order of the flat coefficient array, and which property-file types (FITTYP) it accepts.

Both the `.tir` reader (tir_file) and the model (mf61) use this list; indices into the array are
looked up in it (mf61.P), never typed by hand.

References
----------
Pacejka, H. B., Tire and Vehicle Dynamics, 3rd ed., Butterworth-Heinemann (2012), ch. 4.
TNO, MF-Tyre/MF-Swift 6.1 User Manual (2010): the .tir property file.
"""

from __future__ import annotations

#: FITTYP codes of the Magic Formula 5.2 family (MF-Tyre 5.x files).
MF52_FITTYPS = (6, 21, 52)
#: FITTYP codes of the Magic Formula 6.1/6.2 family.
MF61_FITTYPS = (61, 62)
#: FITTYP codes this package reads and evaluates.
SUPPORTED_FITTYPS = MF52_FITTYPS + MF61_FITTYPS

#: Every coefficient the model reads, in the order of the coefficient array.
PARAM_NAMES: tuple[str, ...] = (
    # model, dimensions, operating conditions
    "FITTYP", "LONGVL", "VXLOW", "UNLOADED_RADIUS", "WIDTH", "FNOMIN", "NOMPRES", "INFLPRES",
    # structural stiffness (relaxation lengths)
    "VERTICAL_STIFFNESS", "LONGITUDINAL_STIFFNESS", "LATERAL_STIFFNESS", "PCFX1", "PCFX2", "PCFX3",
    "PCFY1", "PCFY2", "PCFY3",
    # scaling factors
    "LFZO", "LCX", "LMUX", "LEX", "LKX", "LHX", "LVX", "LCY", "LMUY", "LEY", "LKY", "LKYC", "LKZC",
    "LHY", "LVY", "LTR", "LRES", "LXAL", "LYKA", "LVYKA", "LS", "LMX", "LVMX", "LMY", "LMUV",
    # longitudinal force
    "PCX1", "PDX1", "PDX2", "PDX3", "PEX1", "PEX2", "PEX3", "PEX4", "PKX1", "PKX2", "PKX3", "PHX1",
    "PHX2", "PVX1", "PVX2", "PPX1", "PPX2", "PPX3", "PPX4", "RBX1", "RBX2", "RBX3", "RCX1", "REX1",
    "REX2", "RHX1",
    # lateral force
    "PCY1", "PDY1", "PDY2", "PDY3", "PEY1", "PEY2", "PEY3", "PEY4", "PEY5", "PKY1", "PKY2", "PKY3",
    "PKY4", "PKY5", "PKY6", "PKY7", "PHY1", "PHY2", "PHY3", "PVY1", "PVY2", "PVY3", "PVY4", "PPY1",
    "PPY2", "PPY3", "PPY4", "PPY5", "RBY1", "RBY2", "RBY3", "RBY4", "RCY1", "REY1", "REY2", "RHY1",
    "RHY2", "RVY1", "RVY2", "RVY3", "RVY4", "RVY5", "RVY6",
    # aligning moment
    "QBZ1", "QBZ2", "QBZ3", "QBZ4", "QBZ5", "QBZ9", "QBZ10", "QCZ1", "QDZ1", "QDZ2", "QDZ3", "QDZ4",
    "QDZ6", "QDZ7", "QDZ8", "QDZ9", "QDZ10", "QDZ11", "QEZ1", "QEZ2", "QEZ3", "QEZ4", "QEZ5",
    "QHZ1", "QHZ2", "QHZ3", "QHZ4", "PPZ1", "PPZ2", "SSZ1", "SSZ2", "SSZ3", "SSZ4",
    # overturning moment
    "QSX1", "QSX2", "QSX3", "QSX4", "QSX5", "QSX6", "QSX7", "QSX8", "QSX9", "QSX10", "QSX11",
    "QSX12", "QSX13", "QSX14", "PPMX1",
    # rolling resistance moment
    "QSY1", "QSY2", "QSY3", "QSY4", "QSY5", "QSY6", "QSY7", "QSY8",
)

#: Coefficients a `.tir` file must give: without them the Magic Formula has no force (a shape,
#: peak or stiffness factor of 0) or no aligning torque. Name -> its meaning in the standard
#: (Pacejka 2012, ch. 4, equation numbers of sect. 4.3.2; TNO MF-Tyre 6.1 manual).
REQUIRED_IN_FILE: dict[str, str] = {
    "PCX1": "shape factor Cfx of the longitudinal force (eq. 4.E11)",
    "PDX1": "longitudinal friction coefficient Mux at the nominal load Fz0 (eq. 4.E13)",
    "PKX1": "longitudinal slip stiffness Kfx/Fz at the nominal load (eq. 4.E15)",
    "PCY1": "shape factor Cfy of the lateral force (eq. 4.E21)",
    "PDY1": "lateral friction coefficient Muy at the nominal load Fz0 (eq. 4.E23)",
    "PKY1": "maximum cornering stiffness Kfy/Fz0 (eq. 4.E25)",
    "PKY2": "load at which the cornering stiffness Kfy is largest, per Fz0 (eq. 4.E25)",
    "QBZ1": "trail slope factor Bpt of the pneumatic trail at Fz0 (eq. 4.E40)",
    "QCZ1": "shape factor Cpt of the pneumatic trail (eq. 4.E41)",
    "QDZ1": "peak pneumatic trail Dpt, per unloaded radius (eq. 4.E42)",
}
