package io.rlvr4j.verifier.math.internal;

/**
 * A complex double, enough to evaluate answers such as {@code e^{i\pi}} or {@code \sqrt{-4}} at sample
 * points. Principal branches throughout, as in every CAS.
 */
record Complex(double re, double im) {

    static final Complex I = new Complex(0, 1);
    static final Complex ONE = new Complex(1, 0);
    static final Complex NAN = new Complex(Double.NaN, Double.NaN);

    static Complex real(double x) {
        return new Complex(x, 0);
    }

    boolean isFinite() {
        return Double.isFinite(re) && Double.isFinite(im);
    }

    boolean isReal() {
        return im == 0;
    }

    double abs() {
        return Math.hypot(re, im);
    }

    Complex add(Complex o) {
        return new Complex(re + o.re, im + o.im);
    }

    Complex subtract(Complex o) {
        return new Complex(re - o.re, im - o.im);
    }

    Complex negate() {
        return new Complex(-re, -im);
    }

    Complex multiply(Complex o) {
        if (im == 0 && o.im == 0) return real(re * o.re);
        return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex divide(Complex o) {
        if (im == 0 && o.im == 0) return o.re == 0 ? NAN : real(re / o.re);
        double d = o.re * o.re + o.im * o.im;
        if (d == 0) return NAN;
        return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    Complex exp() {
        double m = Math.exp(re);
        return im == 0 ? real(m) : new Complex(m * Math.cos(im), m * Math.sin(im));
    }

    Complex log() {
        if (im == 0 && re > 0) return real(Math.log(re));
        return new Complex(Math.log(abs()), Math.atan2(im, re));
    }

    Complex sqrt() {
        if (im == 0) return re >= 0 ? real(Math.sqrt(re)) : new Complex(0, Math.sqrt(-re));
        double m = abs();
        double a = Math.sqrt((m + re) / 2);
        double b = Math.copySign(Math.sqrt((m - re) / 2), im);
        return new Complex(a, b);
    }

    /** {@return this to the power {@code e}}: exact repeated squaring for small integer exponents, else exp(e log this) */
    Complex pow(Complex e) {
        if (e.im == 0 && e.re == Math.rint(e.re) && Math.abs(e.re) <= 64) {
            int n = (int) e.re;
            Complex r = ONE;
            Complex b = this;
            for (int k = Math.abs(n); k > 0; k >>= 1) {
                if ((k & 1) == 1) r = r.multiply(b);
                b = b.multiply(b);
            }
            return n < 0 ? ONE.divide(r) : r;
        }
        if (im == 0 && e.im == 0 && re > 0) return real(Math.pow(re, e.re));
        if (im == 0 && re == 0) return e.re > 0 ? real(0) : NAN;
        return e.multiply(log()).exp();
    }

    Complex sin() {
        return im == 0 ? real(Math.sin(re)) : new Complex(Math.sin(re) * Math.cosh(im), Math.cos(re) * Math.sinh(im));
    }

    Complex cos() {
        return im == 0 ? real(Math.cos(re)) : new Complex(Math.cos(re) * Math.cosh(im), -Math.sin(re) * Math.sinh(im));
    }

    /**
     * {@return whether the two are equal within {@code relative} of the larger magnitude, or within
     * {@code absolute}} (rounding leaves {@code sin(pi)} at 1e-16, not 0)
     */
    boolean closeTo(Complex o, double relative, double absolute) {
        double diff = subtract(o).abs();
        return diff <= relative * Math.max(abs(), o.abs()) || diff <= absolute;
    }
}
