"""Plots a test engineer expects, one module per kind: channels against time (timeseries), the
energy breakdown of a cycle (energy), the lane change's plan view (lane_change), the skidpad's
handling diagram (skidpad), and inline SVG for the reports (svg). A procedure registers its own plot
explicitly (`Result.info["plot_function"]`); plotting never imports a procedure."""
