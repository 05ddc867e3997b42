"""The funnel's limits worked by hand: the normal formula, exact binomial limits for small counts (Spiegelhalter
2005, appendix) and the allowance for over-dispersion (winsorised z-scores, additive random effects), checked on
simulated data where the truth is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kansrijke import compare


def outside(num: np.ndarray, den: np.ndarray, z: float = compare.Z95) -> tuple[int, compare.Dispersion]:
    """How many units a funnel around their pooled proportion flags at level z, and the dispersion it used."""
    p0 = num.sum() / den.sum()
    spread = compare.overdispersion(num, den, p0)
    lo, hi = compare.funnel_limits(p0, den, z, spread.tau2)
    y = num / den
    return int(((y > hi) | (y < lo)).sum()), spread


def simulate(rng, units: int, tau: float, p: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Municipalities of 100 to 10,000 births (log-uniform) whose true rates differ: p + N(0, tau)."""
    den = np.round(np.exp(rng.uniform(math.log(100), math.log(10_000), units)))
    true = np.clip(p + rng.normal(0.0, tau, units), 0.001, 0.999)
    return rng.binomial(den.astype(int), true).astype(float), den


# -- the formulas by hand -----------------------------------------------------------------------------------
def test_normal_limits_match_the_formula_worked_by_hand():
    # p0 = 15%, n = 100: se = sqrt(0.15 * 0.85 / 100) = 0.0357071;
    # 95%: 1.959964 * se = 0.0699847 -> 8.00153% .. 21.99847%; 99.8%: 3.090232 * se = 0.1103434 -> 3.96566% .. 26.03434%
    se = math.sqrt(0.15 * 0.85 / 100)
    assert se == pytest.approx(0.0357071, abs=1e-7)
    lo, hi = compare.normal_limits(0.15, np.array([100.0]), compare.Z95)
    assert (lo[0], hi[0]) == (pytest.approx(0.0800153, abs=1e-7), pytest.approx(0.2199847, abs=1e-7))
    lo, hi = compare.normal_limits(0.15, np.array([100.0]), compare.Z998)
    assert (lo[0], hi[0]) == (pytest.approx(0.0396566, abs=1e-7), pytest.approx(0.2603434, abs=1e-7))
    # with a random effect tau² = 0.0004 (tau = 2 points): 1.959964 * sqrt(0.001275 + 0.0004) = 1.959964 * 0.0409268
    # = 0.0802150
    lo, hi = compare.normal_limits(0.15, np.array([100.0]), compare.Z95, tau2=0.0004)
    assert hi[0] == pytest.approx(0.15 + 0.0802150, abs=1e-7)


def test_exact_upper_limit_for_a_rare_event_is_the_binomial_quantile_not_the_normal_one():
    """p0 = 3 per 1,000 (a rare event), n = 225, upper 99.8% limit = the 0.999 quantile of Binomial(225, 0.003).

    By hand: P(R=0) = 0.997^225 = 0.50864; P(R=1) = 225·0.003·0.997^224 = 0.34437; P(R=2) = C(225,2)·0.003²·0.997^223
    = 0.11606; P(R=3) = C(225,3)·0.003³·0.997^222 = 0.02596; P(R=4) = 0.00434. Cumulative: 0.50864, 0.85301, 0.96906,
    0.99502, 0.99935. r = 4 (the first with P(R ≤ r) ≥ 0.999); α = (0.999353 − 0.999) / 0.004335 = 0.0815;
    limit = (4 − 0.0815) / 225 = 0.017416 = 17,4 per 1.000.
    The normal approximation: 0.003 + 3.090232·sqrt(0.003·0.997/225) = 0.003 + 3.090232·0.0036469 = 0.014270 = 14,3.
    """
    cdf = np.cumsum([math.comb(225, k) * 0.003**k * 0.997 ** (225 - k) for k in range(8)])
    assert cdf[3] < 0.999 <= cdf[4]
    assert cdf[:5] == pytest.approx([0.50864, 0.85301, 0.96906, 0.99502, 0.99935], abs=1e-5)
    by_hand = (4 - (cdf[4] - 0.999) / (cdf[4] - cdf[3])) / 225
    assert by_hand * 1000 == pytest.approx(17.42, abs=0.01)

    assert compare.binomial_quantile(0.003, 225, 0.999)[0] == pytest.approx(by_hand, rel=1e-9)
    lo, hi = compare.funnel_limits(0.003, np.array([225.0]), compare.Z998)
    assert hi[0] * 1000 == pytest.approx(17.4, abs=0.05) and lo[0] == 0.0
    normal = compare.normal_limits(0.003, np.array([225.0]), compare.Z998)[1][0]
    assert normal * 1000 == pytest.approx(14.27, abs=0.01)
    # at n = 300 the normal limit flags 4 events (13,3 per 1.000; normal limit 12,8, exact limit 15,5)
    assert compare.normal_limits(0.003, np.array([300.0]), compare.Z998)[1][0] < 4 / 300
    assert compare.funnel_limits(0.003, np.array([300.0]), compare.Z998)[1][0] > 4 / 300


def test_exact_limits_meet_the_normal_ones_where_counts_are_large():
    n = np.array([100.0, 1_000.0, 10_000.0, 100_000.0])
    lo, hi = compare.funnel_limits(0.15, n, compare.Z95)
    nlo, nhi = compare.normal_limits(0.15, n, compare.Z95)
    half = nhi - 0.15
    assert np.all(np.abs(hi - nhi) < 0.05 * half) and np.all(np.abs(lo - nlo) < 0.05 * half)
    assert abs(hi[-1] - nhi[-1]) < 0.01 * half[-1]
    # no jump where the normal limit takes over (binomial sd = EXACT_MAX_SD events)
    edge = compare.EXACT_MAX_SD**2 / (0.15 * 0.85)
    below, above = compare.funnel_limits(0.15, np.array([edge * 0.999, edge * 1.001]), compare.Z998)[1]
    assert abs(below - above) < 0.03 * 3.090232 * math.sqrt(0.15 * 0.85 / edge)
    # limits are proportions, monotone in n, and empty denominators give none
    lo, hi = compare.funnel_limits(0.15, np.geomspace(20, 50_000, 60), compare.Z95)
    assert np.all(np.diff(hi) <= 1e-12) and np.all(np.diff(lo) >= -1e-12) and np.all((lo >= 0) & (hi <= 1))
    assert np.isnan(compare.funnel_limits(0.15, np.array([0.0, np.nan]), compare.Z95)[0]).all()


def test_winsorised_phi_and_random_effect_worked_by_hand():
    """Ten municipalities of n = 100 around p0 = 0.5 (s = 0.05) with z-scores −3, −2, −1, −0.4, 0, 0, 0.4, 1, 2, 3
    (numerators 35 .. 65). numpy's 10th/90th percentiles: −2.1 and 2.1, so the winsorised squares are
    4.41, 4, 1, 0.16, 0, 0, 0.16, 1, 4, 4.41 (sum 19.14, mean 1.914) and φ = 1.914 / 0.678655 = 2.8203.
    I·φ = 28.2 > I − 1 = 9: over-dispersion. All n are equal, so every z shrinks by s/√(s² + τ²) and so does the
    winsorised mean: 1.914·s²/(s² + τ²)/0.678655 = 0.9 gives τ² = s²·(1.914/(0.9·0.678655) − 1)
    = 0.0025·2.13366 = 0.0053342 (τ = 7,3 points)."""
    assert compare.WINSOR_C == pytest.approx(0.678655, abs=1e-6)
    num = np.array([35, 40, 45, 48, 50, 50, 52, 55, 60, 65], dtype=float)
    den = np.full(10, 100.0)
    spread = compare.overdispersion(num, den, 0.5)
    assert spread.units == 10 and spread.phi == pytest.approx(1.914 / 0.678655, rel=1e-6)
    assert spread.overdispersed and spread.tau2 == pytest.approx(0.0025 * (1.914 / (0.9 * 0.678655) - 1), rel=1e-4)
    # the limits widen accordingly: 1.959964 * sqrt(0.0025 + 0.0053342) = 0.173470
    lo, hi = compare.funnel_limits(0.5, np.array([100.0]), compare.Z95, spread.tau2)
    assert hi[0] == pytest.approx(0.5 + 0.173470, abs=1e-5) and lo[0] == pytest.approx(0.5 - 0.173470, abs=1e-5)
    # none of the ten is outside the widened 95% limits (65/100 = 0.65 < 0.673)
    assert outside(num, den)[0] == 0


def test_chance_alone_keeps_the_exact_limits_and_too_few_municipalities_estimate_nothing():
    num = np.array([15, 14, 16, 15, 13, 17, 15, 16, 14, 15], dtype=float)  # all very close to p0 = 0.15
    spread = compare.overdispersion(num, np.full(10, 100.0), 0.15)
    assert spread.estimated and not spread.overdispersed and spread.tau2 == 0.0 and spread.phi < 0.9
    few = compare.overdispersion(num[:9], np.full(9, 100.0), 0.15)
    assert not few.estimated and few.units == 9 and few.tau2 == 0.0


# -- simulated data where the truth is known ------------------------------------------------------------------
@pytest.mark.parametrize("tau", [0.0, 0.01, 0.03])
def test_simulated_municipalities_are_flagged_about_as_often_as_chance_says(tau):
    """300 municipalities, true rates 15% ± tau (normal): outside the 95% limits about 5% (15), outside 99.8%
    about 0.2% (0.6), averaged over 40 simulated years. The plain funnel flags 2.5 to 3.5 times more at
    tau = 1 point and far more at 3 points."""
    rng = np.random.default_rng(2005)
    flagged, flagged998, plain = [], [], []
    for _ in range(40):
        num, den = simulate(rng, 300, tau)
        flagged.append(outside(num, den)[0])
        flagged998.append(outside(num, den, compare.Z998)[0])
        p0 = num.sum() / den.sum()
        lo, hi = compare.normal_limits(p0, den, compare.Z95)
        plain.append(int(((num / den > hi) | (num / den < lo)).sum()))
    assert 10 <= np.mean(flagged) <= 20, np.mean(flagged)
    assert np.mean(flagged998) <= 1.5, np.mean(flagged998)
    if tau:
        assert np.mean(plain) > 2.5 * np.mean(flagged)


def test_spiegelhalters_one_step_estimate_alone_would_flag_too_many():
    """Why τ² is solved rather than taken from the one-step formula (module doc): on the same simulated data the
    one-step τ² = (I·φ − (I−1)) / (Σw − Σw²/Σw), with φ the plain mean of the winsorised squares, flags more than
    twice the chance number."""
    rng = np.random.default_rng(1185)
    one_step, solved = [], []
    for _ in range(30):
        num, den = simulate(rng, 300, 0.02)
        p0 = num.sum() / den.sum()
        s2 = p0 * (1 - p0) / den
        z = (num / den - p0) / np.sqrt(s2)
        low, high = np.percentile(z, [10, 90])
        phi = np.mean(np.clip(z, low, high) ** 2)
        w = 1 / s2
        tau2 = max(0.0, (300 * phi - 299) / (w.sum() - (w**2).sum() / w.sum()))
        lo, hi = compare.funnel_limits(p0, den, compare.Z95, tau2)
        one_step.append(int(((num / den > hi) | (num / den < lo)).sum()))
        solved.append(outside(num, den)[0])
    assert np.mean(one_step) > 2 * 15 and 10 <= np.mean(solved) <= 20


def test_genuine_outliers_still_stand_out():
    """Ten municipalities 10 points above the rest do not widen the funnel enough to hide: winsorising keeps them
    from inflating the estimate."""
    rng = np.random.default_rng(347)
    found = []
    for _ in range(20):
        num, den = simulate(rng, 300, 0.01)
        big = den[:10]
        num[:10] = rng.binomial(big.astype(int), 0.25)
        p0 = num.sum() / den.sum()
        spread = compare.overdispersion(num, den, p0)
        lo, hi = compare.funnel_limits(p0, den[:10], compare.Z95, spread.tau2)
        found.append(int((num[:10] / den[:10] > hi).sum()))
    assert np.mean(found) >= 8
