"""Physical constants and unit factors, each defined once.

Everything inside twinmotor is SI; these factors convert at the edges (inputs named `_kmh`,
KPIs named `_deg`, `_g`, `_mi`). References: BIPM, The International System of Units (SI),
9th ed. (2019) for standard gravity; NIST SP 811 (2008) for the mile and the mile per hour.
"""

from __future__ import annotations

import math

#: standard acceleration of gravity [m/s^2] (3rd CGPM, 1901; exact by definition)
G_M_S2 = 9.80665
#: m/s per km/h
KMH = 1.0 / 3.6
#: m/s per mile per hour (exact: 1 mi = 1609.344 m)
MPH = 0.44704
#: km per international mile (exact)
KM_PER_MILE = 1.609344
#: degrees per radian
DEG_PER_RAD = 180.0 / math.pi
#: J per kWh
J_PER_KWH = 3.6e6
