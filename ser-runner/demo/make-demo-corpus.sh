#!/usr/bin/env bash
# make-demo-corpus.sh - generate the synthetic "demo" emotional speech corpus.
#
# Writes 16 kHz / mono / 16-bit PCM WAV files, named in the RAVDESS convention
#   corpus/Actor_AA/03-01-EE-II-SS-RR-AA.wav
# (03 audio-only, 01 speech, EE emotion, II intensity, SS statement, RR repetition, AA actor;
#  odd actor = male voice, even actor = female voice) so that the pipeline's RAVDESS adapter
# reads it unchanged. Emotions are "acted" by prosody and voice quality only: espeak-ng
# (pitch level -p, rate -s, SSML pitch range) and sox effects (gain, low-pass, treble,
# tremolo, overdrive, pitch bend, breath noise). The sentence never depends on the emotion.
#
# It is a corpus to see the whole pipeline run on a fresh machine, NOT an accuracy benchmark.
# See README.md beside this script for the emotion -> prosody table.
#
# Deterministic: no clock, no $RANDOM. Every "random" number comes from a hash of the output
# file name, and sox runs in repeatable mode (-R) with dithering off (-D), so running it twice
# gives byte-identical files (for the same espeak-ng and sox versions).
#
# Usage: make-demo-corpus.sh [OUTPUT_DIR]     (default: corpus/ beside this script)
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/corpus}"

missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v awk >/dev/null 2>&1 || missing+=(awk)
if ((${#missing[@]})); then
    echo "make-demo-corpus: missing: ${missing[*]}" >&2
    echo "  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y espeak-ng sox" >&2
    echo "  Fedora:        sudo dnf install espeak-ng sox" >&2
    echo "  macOS:         brew install espeak-ng sox" >&2
    exit 2
fi

# ---------------------------------------------------------------------------------------------
# Speakers: actor id, espeak-ng voice+variant, base pitch (-p, 0..99), base rate (-s, words/min),
# base pitch range (SSML %, 100 = voice default), loudness offset (dB), expressiveness (scales
# every emotion cue below: some speakers act more than others).
SPEAKERS=(
    "01 en+m1     42 168 100  0.0 1.00"
    "02 en+f2     55 180 110 -1.0 0.90"
    "03 en+m3     35 185  90  1.0 0.80"
    "04 en+f3     48 165 120  0.0 1.10"
    "05 en+m7     50 175  85 -1.5 0.75"
    "06 en+f4     60 190 100  1.5 0.95"
    "07 en-us+m2  38 160 105  0.5 1.05"
    "08 en-gb-x-rp+f5 45 172 95 -0.5 0.85"
)
# (not "en-gb+f5": espeak-ng 1.51 silently ignores a variant appended to "en-gb")

# Sentences (written for this corpus): each actor says two of them (statement 01 and 02), so
# there are 16 different sentences in all, and the text carries no information about emotion.
SENTENCES=(
    "The train leaves at noon"
    "We bought bread and milk"
    "The phone rang twice"
    "My keys are in the car"
    "She opened the window"
    "The bus stopped at the corner"
    "They moved the chairs outside"
    "The letter came on Monday"
    "The cat sleeps by the stove"
    "Birds are singing in the yard"
    "He painted the fence blue"
    "The lights are on again"
    "Rain fell on the roof"
    "The box is on the table"
    "We walked along the river"
    "The door was left open"
)

# Emotions (RAVDESS codes). Columns: code name, pitch offset (-p steps), rate factor,
# pitch-range factor, loudness (dB), sentence-final punctuation (espeak's intonation), and the
# voice-quality effect (interpreted by quality_fx below). For intensity 02 ("strong") every
# offset from neutral is multiplied by 1.5; every cue is also scaled by the speaker's
# expressiveness and jittered per file.
#   code name      dpitch rate  range gain punct quality
EMOTIONS=(
    "01 neutral      0   1.00  1.00   0.0  .   plain"
    "02 calm        -6   0.86  0.70  -5.0  .   smooth"
    "03 happy       14   1.10  1.80   2.0  !   bright"
    "04 sad        -13   0.78  0.45  -8.0  .   dark"
    "05 angry        8   1.22  1.70   6.0  !   harsh"
    "06 fearful     20   1.25  1.25  -2.0  .   shaky"
    "07 disgust    -11   0.84  0.95  -1.0  .   creaky"
    "08 surprised   27   1.04  2.00   2.0  ?   rising"
)

UTTERANCES_PER_EMOTION=3   # per actor; 8 actors x 8 emotions x 3 = 192 files (1..4 possible;
                           # each step of 1 adds ~2.7 MB)

# ---------------------------------------------------------------------------------------------
# Deterministic pseudo-random numbers: FNV-1a hash of a key seeds a 31-bit LCG (bash integers
# only, so the same on every machine; awk is used for floating point but never for rand()).
rng_state=0
seed() {
    local s="$1" h=2166136261 i c
    for ((i = 0; i < ${#s}; i++)); do
        printf -v c '%d' "'${s:i:1}"
        h=$(((h ^ c) * 16777619 & 0xffffffff))
    done
    rng_state=$((h & 0x7fffffff))
}
# next_u: uniform integer in [-1000, 1000] (i.e. thousandths of [-1, 1]) into $u
next_u() {
    rng_state=$(((rng_state * 1103515245 + 12345) & 0x7fffffff))
    u=$(((rng_state >> 8) % 2001 - 1000))
}

calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
# clamp LOW HIGH EXPR [DECIMALS]
clamp() { awk "BEGIN { v = $3; if (v < $1) v = $1; if (v > $2) v = $2; printf \"%.${4:-0}f\", v }"; }

# quality_fx NAME STRENGTH DURATION -> sox effect list for the voice quality of an emotion.
# STRENGTH is intensity x expressiveness (about 0.7 .. 1.7). Breath noise is handled separately.
quality_fx() {
    local q="$1" k="$2" d="$3"
    case "$q" in
        plain) ;;
        smooth) echo "lowpass $(calc "4200 - 900*$k" 0) bass 2" ;;
        bright) echo "treble $(calc "3 + 2.5*$k" 1) 2500" ;;
        dark) echo "lowpass $(calc "3000 - 900*$k" 0) lowpass $(calc "3600 - 900*$k" 0)" ;;
        harsh) echo "overdrive $(calc "6 + 6*$k" 1) 20 treble $(calc "2 + 2*$k" 1) 2000" ;;
        shaky) echo "tremolo $(calc "6 + 2*$k" 1) $(calc "25 + 20*$k" 0)" ;;
        creaky) echo "tremolo $(calc "22 + 6*$k" 1) $(calc "35 + 20*$k" 0) bass $(calc "2 + 2*$k" 1)" ;;
        rising)
            # upward glide over the last ~45% of the utterance (on top of espeak's '?' contour)
            echo "bend $(calc "$d*0.52" 3),$(calc "250 + 200*$k" 0),$(calc "$d*0.45" 3)"
            ;;
        *) echo "unknown quality $q" >&2; return 1 ;;
    esac
}
# breath noise level (linear amplitude of high-passed white noise mixed under the voice)
breath_level() {
    case "$1" in
        shaky) calc "0.010 + 0.010*$2" 4 ;;
        smooth) calc "0.004 + 0.004*$2" 4 ;;
        *) echo 0 ;;
    esac
}

# RAVDESS-style (intensity, statement, repetition) combinations an actor records for an
# emotion: 3 of the 8 (neutral: 3 of the 4, as RAVDESS has no strong neutral), rotated by actor
# and emotion so that both intensities and both statements occur for every emotion.
combos() {
    local a=$((10#$1)) e=$((10#$2)) k c
    for ((k = 0; k < UTTERANCES_PER_EMOTION; k++)); do
        if ((e == 1)); then
            c=$(((a + k) % 4))
            printf '01 %02d %02d\n' $(((c >> 1) + 1)) $(((c & 1) + 1))
        else
            c=$(((a + e + 3 * k) % 8))
            printf '%02d %02d %02d\n' $(((c >> 2) + 1)) $((((c >> 1) & 1) + 1)) $(((c & 1) + 1))
        fi
    done
}

# ---------------------------------------------------------------------------------------------
if ((UTTERANCES_PER_EMOTION < 1 || UTTERANCES_PER_EMOTION > 4)); then
    echo "make-demo-corpus: UTTERANCES_PER_EMOTION must be 1..4 (neutral has only 4 combinations)" >&2
    exit 2
fi
SOX=(sox -R -D -V1)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# start clean, but only remove what this script writes (never the whole folder)
mkdir -p "$OUT"
rm -rf "$OUT"/Actor_[0-9][0-9]
start=$SECONDS
count=0
echo "make-demo-corpus: $(espeak-ng --version | head -n1 | sed 's/ *Data at.*//'); $(sox --version 2>&1 | head -n1 | sed 's/^sox: *//')"
echo "make-demo-corpus: writing to $OUT"

for spk in "${SPEAKERS[@]}"; do
    read -r actor voice p0 s0 r0 g0 x0 <<<"$spk"
    mkdir -p "$OUT/Actor_$actor"
    a=$((10#$actor))
    for emo in "${EMOTIONS[@]}"; do
        read -r ecode _name dp rf rgf eg punct quality <<<"$emo"
        while read -r inten stmt rep; do
            name="03-01-$ecode-$inten-$stmt-$rep-$actor.wav"
            seed "$name"
            # strength of the acting: intensity x speaker expressiveness x +-25% per file
            next_u
            k=$(calc "($inten == 2 ? 1.5 : 1.0) * $x0 * (1 + 0.25*$u/1000)" 3)
            next_u; pitch=$(clamp 0 99 "$p0 + $dp*$k + 6*$u/1000")
            next_u; rate=$(clamp 90 400 "$s0 * (1 + ($rf - 1)*$k) * (1 + 0.10*$u/1000)")
            next_u; range=$(clamp 15 250 "$r0 * (1 + ($rgf - 1)*$k) * (1 + 0.30*$u/1000)")
            next_u; gain=$(calc "$g0 + $eg*$k + 3*$u/1000" 2)
            text="${SENTENCES[$(((2 * (a - 1) + 10#$stmt - 1) % ${#SENTENCES[@]}))]}$punct"

            # 1. synthesise (22.05 kHz), 2. to 16 kHz mono 16-bit, trim leading/trailing silence
            espeak-ng -v "$voice" -p "$pitch" -s "$rate" -a 100 -m -w "$TMP/raw.wav" \
                "<speak><prosody range=\"$range%\">$text</prosody></speak>"
            "${SOX[@]}" "$TMP/raw.wav" -r 16000 -c 1 -b 16 "$TMP/trim.wav" \
                silence 1 0.01 -45d reverse silence 1 0.01 -45d reverse
            d=$(sox --i -D "$TMP/trim.wav")
            # 3. squash the duration softly into 1.0..1.55 s (identity near 1.25 s, so the rate
            #    cue survives, but every file stays a short utterance and the corpus stays small)
            t=$(calc "1.0 + 0.55 / (1 + ($d/1.25)^-9.1)" 4)
            tempo=$(calc "$d / $t" 4)
            fx=()
            if awk "BEGIN { exit !($tempo < 0.995 || $tempo > 1.005) }"; then
                fx+=(tempo -s "$tempo")
            fi
            read -r -a qfx <<<"$(quality_fx "$quality" "$k" "$t")"
            fx+=("${qfx[@]}")
            # 4. voice quality, then a common peak level so the loudness cue is the gain below
            "${SOX[@]}" "$TMP/trim.wav" "$TMP/fx.wav" "${fx[@]}" gain -n -14
            # 5. breath noise (fear, calm)
            bl=$(breath_level "$quality" "$k")
            if [[ "$bl" != 0 ]]; then
                n=$(sox --i -D "$TMP/fx.wav")
                "${SOX[@]}" -n -r 16000 -c 1 -b 16 "$TMP/noise.wav" synth "$n" whitenoise \
                    highpass 1500 lowpass 6000
                "${SOX[@]}" -m -v 1 "$TMP/fx.wav" -v "$bl" "$TMP/noise.wav" "$TMP/mix.wav"
                mv "$TMP/mix.wav" "$TMP/fx.wav"
            fi
            # 6. loudness (limited so nothing clips), short fades, final format
            "${SOX[@]}" "$TMP/fx.wav" -r 16000 -c 1 -b 16 -e signed-integer \
                "$OUT/Actor_$actor/$name" gain -l "$gain" fade t 0.01 0 0.015
            count=$((count + 1))
        done < <(combos "$actor" "$ecode")
    done
    echo "make-demo-corpus: Actor_$actor ($voice) done"
done

echo "make-demo-corpus: $count files, $(du -sh "$OUT" | cut -f1), $((SECONDS - start)) s"
