"""The vehicle parameter schema: every physical parameter of a (twin-)motor electric car.

SI units unless the name says otherwise (`peak_power_kw`, `max_speed_rpm`, `capacity_kwh`).
Axes follow ISO 8855: x forward, y left, z up. Values are validated with their physical range;
an out-of-range value raises :class:`twinmotor.errors.ParameterError` naming path, value, range, unit.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator, model_validator

from twinmotor.vehicle.schema_base import Params, q

SIZE_CODE = re.compile(r"^\s*(\d{3})\s*/\s*(\d{2})\s*Z?R\s*(\d{2}(?:\.\d)?)\s*$", re.IGNORECASE)


class Aero(Params):
    drag_coefficient: float = q(ge=0.1, le=1.5, unit="-", doc="Cd, on frontal_area_m2")
    frontal_area_m2: float = q(ge=0.5, le=6.0, unit="m^2")
    lift_coefficient_front: float = q(0.0, ge=-3.0, le=1.0, unit="-", doc="CzF, positive = lift; negative = downforce")
    lift_coefficient_rear: float = q(0.0, ge=-3.0, le=1.0, unit="-", doc="CzR, positive = lift")
    air_density_kg_m3: float = q(1.2, ge=0.8, le=1.5, unit="kg/m^3")


class SuspensionAxle(Params):
    """One axle's suspension, rates given at the wheel (per corner)."""

    spring_rate_n_m: float = q(ge=5e3, le=5e5, unit="N/m", doc="wheel rate per corner")
    damper_rate_n_s_m: float = q(ge=5e2, le=5e4, unit="N*s/m", doc="linear damping per corner, at the wheel")
    anti_roll_stiffness_nm_rad: float = q(0.0, ge=0.0, le=5e5, unit="N*m/rad", doc="anti-roll bar, whole axle")
    roll_center_height_m: float = q(0.05, ge=-0.2, le=0.5, unit="m")
    anti_brake_fraction: float = q(0.0, ge=-0.5, le=1.5, unit="-",
                                   doc="share of the load transfer from outboard friction-brake forces taken by the links "
                                       "(contact-patch geometry): anti-dive (front), anti-lift (rear)")
    anti_drive_fraction: float = q(0.0, ge=-0.5, le=1.5, unit="-",
                                   doc="share of the load transfer from inboard motor torque, drive and regeneration alike, "
                                       "taken by the links (wheel-centre geometry): anti-lift (front), anti-squat (rear)")
    unsprung_mass_kg: float = q(40.0, ge=5.0, le=200.0, unit="kg", doc="per corner")


class Suspension(Params):
    front: SuspensionAxle
    rear: SuspensionAxle


#: tire classes and the friction they reach, relative to the generic Magic Formula coefficients
#: (twinmotor.tire.classes gives the data behind each factor)
TIRE_CLASSES = ("eco", "touring", "performance")


class TireSpec(Params):
    """Tires of one axle: a size code for generic MF 6.1 coefficients, or a `.tir` property file."""

    size: str = q(unit="ISO size code", doc="e.g. '215/55R17'")
    tire_class: Literal["eco", "touring", "performance"] = q(
        "performance", unit="-", doc="eco (low rolling resistance), touring (all-season / touring), performance (summer "
                                     "performance): sets the Magic Formula friction scaling from public braking tests")
    tir_file: str | None = q(None, unit="path", doc="MF 5.2/6.1 .tir file; 'builtin:NAME.tir' for shipped files")
    rolling_resistance_coefficient: float = q(0.009, ge=0.0, le=0.05, unit="-", doc="rolling resistance force / Fz")
    wheel_inertia_kg_m2: float = q(1.0, ge=0.1, le=10.0, unit="kg*m^2", doc="wheel, tire, hub and disc about the spin axis")
    friction_scale: float = q(1.0, ge=0.1, le=2.0, unit="-",
                              doc="multiplies the tire's friction (LMUX, LMUY) on top of its class's scaling")

    @field_validator("size")
    @classmethod
    def _check_size(cls, value: str) -> str:
        if not SIZE_CODE.match(value):
            raise ValueError("not an ISO metric size code like '215/55R17' (width mm / aspect % R rim inch)")
        return value


class Tires(Params):
    front: TireSpec
    rear: TireSpec


class Brakes(Params):
    max_torque_front_nm: float = q(ge=200.0, le=2e4, unit="N*m", doc="per front wheel at full pressure")
    max_torque_rear_nm: float = q(ge=100.0, le=2e4, unit="N*m", doc="per rear wheel at full pressure")
    time_constant_s: float = q(0.06, ge=0.001, le=0.5, unit="s", doc="first-order actuator lag")


class Steering(Params):
    steering_ratio: float = q(15.0, ge=5.0, le=30.0, unit="-", doc="steering-wheel angle / road-wheel angle")
    max_road_wheel_angle_rad: float = q(0.6, ge=0.1, le=1.2, unit="rad")


MOTOR_KINDS = ("pmsm", "induction", "eesm")


class Motor(Params):
    """Traction motor with its inverter; losses set the efficiency map.

    kind: ``pmsm`` (permanent magnets: magnet-induced core loss whenever the rotor spins),
    ``induction`` (no magnets: no core loss while unexcited, flux build-up before torque, rotor copper
    loss), ``eesm`` (electrically excited / wound rotor: rotor field power, no core loss with the
    field off, field build-up before torque)."""

    name: str = "EM57"
    kind: str = q("pmsm", unit="-", doc="pmsm | induction | eesm")
    peak_torque_nm: float = q(ge=10.0, le=3000.0, unit="N*m")
    peak_power_kw: float = q(ge=5.0, le=1000.0, unit="kW")
    max_speed_rpm: float = q(ge=1000.0, le=30000.0, unit="rpm")
    rotor_inertia_kg_m2: float = q(0.04, ge=0.001, le=1.0, unit="kg*m^2")
    torque_time_constant_s: float = q(0.002, ge=1e-4, le=0.1, unit="s", doc="first-order torque response")
    copper_loss_at_peak_torque_kw: float = q(ge=0.0, le=100.0, unit="kW", doc="stator I^2 R loss at peak torque")
    iron_loss_at_max_speed_kw: float = q(ge=0.0, le=50.0, unit="kW", doc="no-load iron loss at max speed")
    iron_loss_eddy_fraction: float = q(0.5, ge=0.0, le=1.0, unit="-", doc="share of iron loss ~ speed^2 (rest ~ speed)")
    friction_loss_at_max_speed_kw: float = q(ge=0.0, le=20.0, unit="kW", doc="bearings and windage")
    inverter_conduction_loss_at_peak_torque_kw: float = q(ge=0.0, le=50.0, unit="kW", doc="~ current^2")
    inverter_switching_loss_at_peak_torque_kw: float = q(ge=0.0, le=50.0, unit="kW", doc="~ |current|")
    inverter_active_loss_kw: float = q(0.0, ge=0.0, le=10.0, unit="kW",
                                       doc="loss while the inverter switches, independent of torque; zero when idle")
    rotor_copper_loss_at_peak_torque_kw: float = q(0.0, ge=0.0, le=100.0, unit="kW",
                                                   doc="induction: rotor bar I^2 R loss at peak torque (slip loss)")
    excitation_loss_kw: float = q(0.0, ge=0.0, le=20.0, unit="kW",
                                  doc="induction: stator copper loss of the magnetising current; eesm: rotor field "
                                      "winding I^2 R (with exciter); both at full flux, ~ flux^2; 0 for pmsm")
    excitation_time_constant_s: float = q(0.0, ge=0.0, le=2.0, unit="s",
                                          doc="flux build-up time constant from unexcited (rotor time constant L_r/R_r "
                                              "for induction, field winding L_f/R_f for eesm); 0 for pmsm")
    efficiency_map_csv: str | None = q(None, unit="path",
                                       doc="optional map: speed_rpm, torque_nm, efficiency on a full speed x torque grid; "
                                           "used as a table (bilinear) for the losses")

    @field_validator("kind")
    @classmethod
    def _check_kind(cls, value: str) -> str:
        if value not in MOTOR_KINDS:
            raise ValueError(f"unknown motor kind; allowed: {', '.join(MOTOR_KINDS)}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _kind_defaults(cls, data):
        """A motor switched to another kind (``--set powertrain.front.motor.kind=induction``) without its
        own excitation figures gets the kind's defaults, scaled from its stator copper loss (estimates):

        induction: rotor cage loss 0.7 x stator copper at peak torque (same order in a cage machine at
        rated slip); magnetising current ~30 % of peak current -> 0.3^2 x stator copper at full flux;
        rotor time constant 0.15 s (0.1-0.3 s for 100+ kW copper-cage machines) [boldea2010induction].
        eesm: field winding of the ARIYA's rotor, 350 m of 1.2 mm copper [nissan2022ariyarotor]:
        R = rho L / A = 5.3 ohm, ~10 A field current (estimate) -> 0.5 kW; field time constant 0.08 s."""
        if not isinstance(data, dict) or data.get("kind") not in ("induction", "eesm"):
            return data
        if data.get("excitation_time_constant_s"):
            return data
        data = dict(data)
        cu = float(data.get("copper_loss_at_peak_torque_kw") or 0.0)
        if data["kind"] == "induction":
            data.setdefault("rotor_copper_loss_at_peak_torque_kw", 0.0)
            if not data["rotor_copper_loss_at_peak_torque_kw"]:
                data["rotor_copper_loss_at_peak_torque_kw"] = 0.7 * cu
            if not data.get("excitation_loss_kw"):
                data["excitation_loss_kw"] = 0.09 * cu
            data["excitation_time_constant_s"] = 0.15
        else:
            if not data.get("excitation_loss_kw"):
                data["excitation_loss_kw"] = 0.5
            data["excitation_time_constant_s"] = 0.08
        return data

    @model_validator(mode="after")
    def _kind_consistent(self):
        from twinmotor.errors import ParameterError

        if self.kind == "pmsm" and (self.excitation_loss_kw > 0.0 or self.rotor_copper_loss_at_peak_torque_kw > 0.0):
            raise ParameterError(
                f"motor '{self.name}': kind = 'pmsm' has magnets, no excitation or rotor copper loss: excitation_loss_kw = "
                f"{self.excitation_loss_kw!r} and rotor_copper_loss_at_peak_torque_kw = {self.rotor_copper_loss_at_peak_torque_kw!r} "
                "must be 0 kW (or choose kind = 'induction' / 'eesm')")
        if self.kind != "pmsm" and self.excitation_time_constant_s <= 0.0:
            raise ParameterError(
                f"motor '{self.name}': kind = '{self.kind}' builds its flux before it makes torque: "
                f"excitation_time_constant_s = {self.excitation_time_constant_s!r} is out of range: allowed more than 0 to 2 s")
        return self


class DriveUnitLosses(Params):
    """No-load (spin) losses of one axle's reduction gear and differential, on the motor side of the
    disconnect: gear churning, bearing and seal drag. They are paid whenever the gear turns."""

    spin_loss_at_100_kmh_w: float = q(0.0, ge=0.0, le=5000.0, unit="W",
                                      doc="no-load loss of reduction gear and differential at 100 km/h")
    spin_loss_speed_exponent: float = q(1.5, ge=1.0, le=3.0, unit="-",
                                        doc="loss ~ speed^n (bearing/seal drag n~1, churning n~1.5-2)")


class WheelEnd(Params):
    """Drag at each wheel of one axle that is paid whether the axle is driven or not."""

    bearing_drag_nm: float = q(0.0, ge=0.0, le=20.0, unit="N*m", doc="wheel bearing and seal friction torque per wheel")
    brake_residual_drag_nm: float = q(0.0, ge=0.0, le=30.0, unit="N*m",
                                      doc="residual (released) friction-brake drag torque per wheel")


class WheelEnds(Params):
    front: WheelEnd = WheelEnd()
    rear: WheelEnd = WheelEnd()


class Disconnect(Params):
    """A disconnect unit (dog clutch) between an axle's drive unit and its wheels."""

    engage_time_s: float = q(0.3, ge=0.0, le=5.0, unit="s", doc="from open to torque-carrying, rotor synchronised")
    release_time_s: float = q(0.15, ge=0.0, le=5.0, unit="s", doc="from torque-carrying to open (dog unloaded and out)")
    actuation_energy_j: float = q(20.0, ge=0.0, le=5000.0, unit="J", doc="electrical energy of one actuation (engage or release)")
    open_drag_nm: float = q(0.0, ge=0.0, le=50.0, unit="N*m",
                            doc="drag at the axle (both wheels together) of what still turns when open (side shafts, "
                                "differential pinions, clutch ring)")


class AxleDrive(Params):
    """One motor driving one axle through a single reduction gear and an open differential."""

    motor: Motor
    gear_ratio: float = q(ge=1.0, le=20.0, unit="-")
    gear_efficiency: float = q(0.97, ge=0.8, le=1.0, unit="-")
    spin_losses: DriveUnitLosses = DriveUnitLosses()
    disconnect: bool = q(False, unit="-", doc="a disconnect unit decouples this drive unit from its wheels")
    disconnect_unit: Disconnect = Disconnect()


class Powertrain(Params):
    front: AxleDrive | None = None
    rear: AxleDrive | None = None

    @model_validator(mode="after")
    def _one_motor_at_least(self):
        from twinmotor.errors import ParameterError

        if self.front is None and self.rear is None:
            raise ParameterError("powertrain: at least one of powertrain.front / powertrain.rear needs a motor")
        for axle, other in (("front", self.rear), ("rear", self.front)):
            drive = getattr(self, axle)
            if drive is not None and drive.disconnect and other is None:
                raise ParameterError(
                    f"powertrain.{axle}.disconnect = true: the {axle} axle is the car's only driven axle, so it cannot be "
                    "disconnected; allowed only on the secondary axle of a car with a motor on each axle")
        if self.front is not None and self.rear is not None and self.front.disconnect and self.rear.disconnect:
            raise ParameterError(
                "powertrain.front.disconnect and powertrain.rear.disconnect are both true: one axle must stay "
                "connected; allowed on one axle only")
        return self


class Charger(Params):
    """On-board AC charger (level 2): wall-to-battery efficiency as a function of charging power.

    losses = standby_loss_w + conversion_loss_fraction * P_wall (fixed losses: control units, pumps,
    contactors while charging; proportional: rectifier and DC/DC conversion)."""

    power_kw: float = q(6.6, ge=1.0, le=22.0, unit="kW", doc="AC power drawn at the wall while charging (level 2)")
    standby_loss_w: float = q(200.0, ge=0.0, le=2000.0, unit="W", doc="power lost while charging whatever the rate")
    conversion_loss_fraction: float = q(0.13, ge=0.0, le=0.3, unit="-", doc="loss proportional to wall power")


class RoadLoad(Params):
    """Published coast-down (road-load) coefficients F = A + B v + C v^2, v in km/h (test-car lists)."""

    a_n: float = q(ge=0.0, le=2000.0, unit="N")
    b_n_per_kmh: float = q(ge=-20.0, le=20.0, unit="N/(km/h)")
    c_n_per_kmh2: float = q(ge=0.0, le=1.0, unit="N/(km/h)^2")


class Battery(Params):
    capacity_kwh: float = q(ge=1.0, le=300.0, unit="kWh", doc="gross energy at nominal voltage")
    usable_fraction: float = q(0.92, ge=0.5, le=1.0, unit="-", doc="usable / gross energy, for range")
    cells_in_series: int = q(ge=10, le=300, unit="-")
    cells_in_parallel: int = q(1, ge=1, le=100, unit="-")
    internal_resistance_ohm: float = q(ge=0.001, le=2.0, unit="ohm", doc="pack DC resistance")
    max_discharge_power_kw: float = q(ge=5.0, le=1500.0, unit="kW")
    max_charge_power_kw: float = q(ge=1.0, le=1500.0, unit="kW", doc="regen acceptance at mid SOC")
    charge_taper_start_soc: float = q(0.9, ge=0.5, le=1.0, unit="-", doc="regen acceptance falls linearly to 0 at SOC 1")
    initial_soc: float = q(0.9, ge=0.0, le=1.0, unit="-")


class Vehicle(Params):
    """A complete car. Build one from a preset (`load_vehicle('leaf-e-plus')`) or a TOML file."""

    name: str
    description: str = ""
    mass_kg: float = q(ge=300.0, le=5000.0, unit="kg", doc="test mass, driver included")
    front_axle_load_fraction: float = q(ge=0.2, le=0.8, unit="-", doc="static front axle load / total")
    cg_height_m: float = q(ge=0.1, le=1.5, unit="m")
    wheelbase_m: float = q(ge=1.5, le=4.5, unit="m")
    track_front_m: float = q(ge=1.0, le=2.2, unit="m")
    track_rear_m: float = q(ge=1.0, le=2.2, unit="m")
    width_m: float = q(ge=1.0, le=2.6, unit="m", doc="body width, for cone layouts")
    length_m: float = q(ge=2.0, le=6.5, unit="m")
    roll_inertia_kg_m2: float = q(ge=50.0, le=5e3, unit="kg*m^2", doc="Ixx of the sprung mass")
    pitch_inertia_kg_m2: float = q(ge=200.0, le=2e4, unit="kg*m^2", doc="Iyy of the sprung mass")
    yaw_inertia_kg_m2: float = q(ge=200.0, le=2e4, unit="kg*m^2", doc="Izz of the whole car")
    auxiliary_load_w: float = q(300.0, ge=0.0, le=1e4, unit="W", doc="12 V loads, cooling, HVAC")
    aero: Aero
    suspension: Suspension
    tires: Tires
    brakes: Brakes
    steering: Steering = Steering()
    powertrain: Powertrain
    battery: Battery
    wheel_ends: WheelEnds = WheelEnds()
    charger: Charger = Charger()
    road_load: RoadLoad | None = None

    @model_validator(mode="after")
    def _consistent(self):
        from twinmotor.errors import ParameterError

        unsprung = 2 * (self.suspension.front.unsprung_mass_kg + self.suspension.rear.unsprung_mass_kg)
        if unsprung >= 0.5 * self.mass_kg:
            raise ParameterError(
                f"suspension unsprung masses = {unsprung:.0f} kg in all are too large for mass_kg = {self.mass_kg:.0f} kg: "
                "allowed up to half the car's mass"
            )
        return self

    @property
    def drive(self) -> Literal["FWD", "RWD", "AWD"]:
        f, r = self.powertrain.front is not None, self.powertrain.rear is not None
        return "AWD" if f and r else ("FWD" if f else "RWD")

    @property
    def cg_to_front_axle_m(self) -> float:
        return self.wheelbase_m * (1.0 - self.front_axle_load_fraction)

    @property
    def cg_to_rear_axle_m(self) -> float:
        return self.wheelbase_m * self.front_axle_load_fraction

    @property
    def system_peak_power_kw(self) -> float:
        """Motor ratings summed, capped by what the battery can deliver."""
        motors = sum(a.motor.peak_power_kw for a in (self.powertrain.front, self.powertrain.rear) if a is not None)
        return min(motors, self.battery.max_discharge_power_kw)

    @property
    def system_peak_torque_nm(self) -> float:
        return sum(a.motor.peak_torque_nm for a in (self.powertrain.front, self.powertrain.rear) if a is not None)
