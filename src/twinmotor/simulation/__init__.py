"""The simulation: vehicle parameters assembled into flat arrays (assemble), the compiled plant,
driver and controller loop (plant, core), the runner of one prescribed run (runner), the fast
quasi-static energy mode (quasi_static) and the Result every run gives back (result).

This package never imports a procedure: procedures and the API sit above it.
"""
