"""numpy reference for the ser-extractors spectral-balance, voice-quality and formants extractors
(eGeMAPS-style descriptors; not openSMILE) on the ser grid (16 kHz, frame 512, hop 160, centred).
Frame columns:
  loudness, alpha_ratio, hammarberg, slope_0_500, slope_500_1500   (grid's Hann power spectrum)
  hnr, jitter, shimmer                                             (40 ms window, autocorrelation lag)
  f1, f2, f3                                                       (LPC envelope peaks, grid frame, Hamming)
Run with Debian's python3 (numpy, scipy): python3 voice_reference.py -> voice_speech_m_16000.json
"""
import sys, os
import numpy as np
from scipy.io import wavfile
from scipy.signal import resample_poly
from math import gcd

SR, FL = 16000, 512
HOP = int(os.environ.get("VQ_HOP", "160"))
EPS = 1e-10
FMIN, FMAX, VOICING = 75.0, 500.0, 0.45
PW = 640          # periodicity window, samples (3 periods of 75 Hz)
LPC_ORDER = 14
PRE = 0.97
COLS = ["loudness", "alpha_ratio", "hammarberg", "slope_0_500", "slope_500_1500", "hnr", "jitter", "shimmer", "f1", "f2", "f3"]


def read16k(path):
    sr, x = wavfile.read(path)
    if x.dtype == np.int16:
        x = x / 32768.0
    elif x.dtype == np.int32:
        x = x / 2147483648.0
    elif x.dtype == np.uint8:
        x = (x - 128) / 128.0
    x = x.astype(np.float64)
    if x.ndim > 1:
        x = x.mean(1)
    if sr != SR:
        g = gcd(SR, sr); x = resample_poly(x, SR // g, sr // g)
    return x


def frames_of(x, length, n):
    """Frames of `length` centred on t*HOP, zero padded."""
    pad = np.concatenate([np.zeros(length // 2), x, np.zeros(length)])
    idx = np.arange(n)[:, None] * HOP + np.arange(length)[None, :]
    return pad[idx]


def htk_mel_fb(nb=26, lo=20.0, hi=8000.0):
    mel = lambda f: 2595 * np.log10(1 + f / 700.0)
    imel = lambda m: 700 * (10 ** (m / 2595.0) - 1)
    edges = imel(np.linspace(mel(lo), mel(hi), nb + 2))
    f = np.arange(FL // 2 + 1) * SR / FL
    fb = np.zeros((nb, len(f)))
    for b in range(nb):
        l, c, r = edges[b], edges[b + 1], edges[b + 2]
        fb[b] = np.maximum(0, np.minimum((f - l) / (c - l), (r - f) / (r - c)))
    return fb


FB = htk_mel_fb()
FREQ = np.arange(FL // 2 + 1) * SR / FL


def band(lo, hi):
    return (FREQ >= lo) & (FREQ < hi)


def slope(logp, m):
    f = FREQ[m] / 1000.0
    fc = f - f.mean()
    return (logp[:, m] - logp[:, m].mean(1, keepdims=True)) @ fc / (fc @ fc)


def spectral(x, n):
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FL) / FL)
    P = np.abs(np.fft.rfft(frames_of(x, FL, n) * w, axis=1)) ** 2
    loud = (P @ FB.T).clip(0) ** 0.3
    loud = loud.sum(1)
    alpha = 10 * np.log10((P[:, band(50, 1000)].sum(1) + EPS) / (P[:, band(1000, 5000)].sum(1) + EPS))
    ham = 10 * np.log10((P[:, band(0, 2000)].max(1) + EPS) / (P[:, band(2000, 5000)].max(1) + EPS))
    logp = 10 * np.log10(P + EPS)
    return np.stack([loud, alpha, ham, slope(logp, band(0, 500)), slope(logp, band(500, 1500))], 1)


def periodicity(x, n):
    fr = frames_of(x, PW, n)
    w = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(PW) + 0.5) / PW)   # symmetric-ish Hann (no zero ends)
    xm = (fr - fr.mean(1, keepdims=True)) * w
    nfft = 1024
    ac = np.fft.irfft(np.abs(np.fft.rfft(xm, nfft, axis=1)) ** 2, nfft, axis=1)[:, :PW]
    wac = np.fft.irfft(np.abs(np.fft.rfft(w, nfft)) ** 2, nfft)[:PW]
    r = ac / np.maximum(ac[:, :1], EPS) / (wac / wac[0])
    lo, hi = int(np.floor(SR / FMAX)), int(np.ceil(SR / FMIN))
    seg = r[:, lo:hi + 1]
    k = seg.argmax(1)
    rmax = seg[np.arange(n), k]
    lag = (k + lo).astype(float)
    energy = (fr ** 2).mean(1)
    voiced = (rmax >= VOICING) & (energy > 1e-6) & (k > 0) & (k < hi - lo)
    rc = np.clip(rmax, 1e-2, 1 - 1e-4)
    hnr = np.where(energy > 1e-6, 10 * np.log10(rc / (1 - rc)), 10 * np.log10(1e-2 / (1 - 1e-2)))
    jit = np.zeros(n); shim = np.zeros(n)
    for t in np.where(voiced)[0]:
        s = fr[t]; T0 = lag[t]
        sign = 1.0 if s.max() >= -s.min() else -1.0
        s = s * sign
        p = int(np.argmax(s[:int(np.ceil(T0))]))
        pk, amp = [], []
        while True:
            pk.append(p); amp.append(s[p])
            a, b = p + int(0.8 * T0), p + int(np.ceil(1.2 * T0))
            if b >= PW:
                break
            p = a + int(np.argmax(s[a:b + 1]))
        if len(pk) >= 3:
            per = np.diff(pk).astype(float)
            jit[t] = np.mean(np.abs(np.diff(per))) / per.mean()
            A = np.maximum(np.array(amp), 1e-6)
            shim[t] = np.mean(np.abs(20 * np.log10(A[1:] / A[:-1])))
    return np.stack([hnr, jit, shim], 1), voiced


def formants(x, n):
    xp = np.append(x[0], x[1:] - PRE * x[:-1])
    fr = frames_of(xp, FL, n) * np.hamming(FL)
    nfft = 1024
    ac = np.fft.irfft(np.abs(np.fft.rfft(fr, nfft, axis=1)) ** 2, nfft, axis=1)[:, :LPC_ORDER + 1]
    ac[:, 0] = ac[:, 0] * (1 + 1e-9) + 1e-12
    # Levinson-Durbin, vectorised over frames
    a = np.zeros((n, LPC_ORDER + 1)); a[:, 0] = 1; e = ac[:, 0].copy()
    for i in range(1, LPC_ORDER + 1):
        k = -(ac[:, 1:i + 1][:, ::-1] * a[:, :i]).sum(1) / e
        a_new = a.copy()
        a_new[:, 1:i + 1] = a[:, 1:i + 1] + k[:, None] * a[:, :i][:, ::-1]
        a_new[:, i] = k
        a = a_new; e = e * (1 - k ** 2)
    env = -np.log(np.abs(np.fft.rfft(a, nfft, axis=1)) ** 2 + 1e-30)
    f = np.arange(nfft // 2 + 1) * SR / nfft
    peak = np.zeros_like(env, bool)
    peak[:, 1:-1] = (env[:, 1:-1] > env[:, :-2]) & (env[:, 1:-1] >= env[:, 2:])
    peak &= (f > 90)[None, :] & (f < SR / 2 - 90)[None, :]
    out = np.zeros((n, 3))
    for j in range(3):
        has = peak.any(1)
        k = np.argmax(peak, 1)
        # parabolic interpolation in log envelope
        km = np.clip(k, 1, env.shape[1] - 2)
        y0, y1, y2 = env[np.arange(n), km - 1], env[np.arange(n), km], env[np.arange(n), km + 1]
        den = y0 - 2 * y1 + y2
        d = np.where(np.abs(den) > 1e-12, 0.5 * (y0 - y2) / den, 0)
        out[:, j] = np.where(has, (km + d) * SR / nfft, 0)
        peak[np.arange(n), k] = False
    return out


def extract(x):
    n = 1 + len(x) // HOP
    sp = spectral(x, n)
    per, voiced = periodicity(x, n)
    fo = formants(x, n)
    return np.concatenate([sp, per, fo], 1).astype(np.float32), voiced



def main():
    """Writes voice_speech_m_16000.json: the 11 frame columns of ../golden/speech_m_16000.wav
    on the default grid (frame 512, hop 160, centred), rounded to 6 decimals."""
    import json
    here = os.path.dirname(os.path.abspath(__file__))
    x = read16k(os.path.join(here, "..", "golden", "speech_m_16000.wav"))
    F, voiced = extract(x)
    out = {"source": "voice_reference.py (numpy " + np.__version__ + ") on golden/speech_m_16000.wav",
           "grid": {"sample_rate": SR, "frame_length": FL, "hop_length": HOP, "centered": True},
           "columns": COLS, "voiced": [bool(v) for v in voiced],
           "frames": [[round(float(v), 6) for v in row] for row in F.astype(np.float64)]}
    with open(os.path.join(here, "voice_speech_m_16000.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
