//! A funnel plot's statistics for one year of a per-head figure (Spiegelhalter's funnel plot):
//! the pooled rate, the spread of the bodies' rates, and the control limit at any denominator.
//! Computed here so that the report only draws them.

/// The funnel of one year: bodies' value over denominator against the pooled rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Funnel {
    /// The pooled rate: all values over all denominators.
    pub target: f64,
    /// The mean denominator.
    pub mean_n: f64,
    /// The standard deviation of the bodies' rates about the pooled rate.
    pub sd: f64,
}

/// The 95% and 99.8% limits' z values.
pub const LIMITS: [f64; 2] = [1.96, 3.09];

impl Funnel {
    /// The funnel of `(body, value, denominator)` rows; `None` under three bodies, too few for
    /// a spread.
    pub fn of(rows: &[(String, f64, f64)]) -> Option<Funnel> {
        if rows.len() < 3 {
            return None;
        }
        let total_v: f64 = rows.iter().map(|r| r.1).sum();
        let total_n: f64 = rows.iter().map(|r| r.2).sum();
        let target = total_v / total_n;
        let mean_n = total_n / rows.len() as f64;
        let sd = (rows
            .iter()
            .map(|(_, v, n)| (v / n - target).powi(2))
            .sum::<f64>()
            / (rows.len() - 1) as f64)
            .sqrt();
        Some(Funnel { target, mean_n, sd })
    }

    /// The control limit `z` standard errors above (`sign` 1) or below (-1) the pooled rate at
    /// denominator `n`: the spread scaled by √(mean n / n).
    pub fn limit(&self, z: f64, sign: f64, n: f64) -> f64 {
        self.target + sign * z * self.sd * (self.mean_n / n).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[(f64, f64)]) -> Vec<(String, f64, f64)> {
        r.iter().map(|&(v, n)| ("x".to_owned(), v, n)).collect()
    }

    #[test]
    fn the_pooled_rate_the_spread_and_limits_that_narrow_with_the_denominator() {
        let f = Funnel::of(&rows(&[(10.0, 100.0), (40.0, 200.0), (60.0, 300.0)])).expect("3");
        assert!((f.target - 110.0 / 600.0).abs() < 1e-12);
        assert!((f.mean_n - 200.0).abs() < 1e-12);
        assert!(f.sd > 0.0);
        assert_eq!(f.limit(1.96, 1.0, f.mean_n), f.target + 1.96 * f.sd);
        assert!(f.limit(3.09, 1.0, 800.0) < f.limit(3.09, 1.0, 50.0));
        assert!(f.limit(1.96, -1.0, 100.0) < f.target);
    }

    #[test]
    fn under_three_bodies_there_is_no_funnel() {
        assert_eq!(Funnel::of(&rows(&[(1.0, 10.0), (2.0, 10.0)])), None);
    }
}
