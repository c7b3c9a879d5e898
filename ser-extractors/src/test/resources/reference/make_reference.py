"""Extra reference values for ser-extractors tests (not librosa): scipy savgol deltas.

librosa.feature.delta(data, width, order, mode='interp') is
scipy.signal.savgol_filter(data, window_length=width, polyorder=order, deriv=order,
axis=-1, mode='interp'). Run: python3 make_reference.py  (numpy, scipy) -> deltas.json
"""
import json
import numpy as np
from scipy.signal import savgol_filter

rng = np.random.default_rng(20240601)
cases = []
for frames, width in [(30, 9), (12, 5), (9, 9), (7, 7)]:
    x = rng.normal(size=(3, frames)).cumsum(axis=1)
    for order in (1, 2):
        d = savgol_filter(x, window_length=width, polyorder=order, deriv=order, axis=-1, mode="interp")
        cases.append({"frames": frames, "width": width, "order": order,
                      "x": x.tolist(), "delta": d.tolist()})
json.dump({"generator": "scipy.signal.savgol_filter mode=interp", "cases": cases},
          open("deltas.json", "w"))
