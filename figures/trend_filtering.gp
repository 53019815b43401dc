# figures/trend_filtering.gp -- Sadhanala, Wang, Hu & Tibshirani, Annals of Statistics 2024 (arXiv:2112.14758).
# Data: papers/trend_filtering (phase_ls, phase_ktf, rates, image, gap .tsv). See style.gp for how
# Makefile.figures calls this script.
load 'style.gp'

# ---- F1: the phase transition at d = 2(k+1) on the spike family ----------------------------------------------
# One panel per (k, d); both files hold one row per size, with k and d in columns 1 and 2, so each panel
# filters its rows (rows of other panels become NaN, which gnuplot skips).
set terminal pngcairo size 1800,1100 enhanced font font_spec linewidth 1.5 rounded
set output png('trend_filtering-phase')
set multiplot layout 2,3 title "Sadhanala et al. 2024, phase transition of linear smoothers at d = 2(k+1): spike family, C_n = 4 n^{1-(k+1)/d}, {/Symbol s} = 1"
set logscale xy
set format y "10^{%L}"
set xlabel "n = N^d (lattice points)"
set ylabel "MSE"
set key bottom left samplen 2 spacing 1.0 font ',12'
ks = "0 0 0 1 1 1"
ds = "1 2 3 2 3 4"
sel(k, d, v) = (column(1) == k && column(2) == d) ? v : NaN
do for [p = 1:6] {
    k = int(word(ks, p)); d = int(word(ds, p))
    regime = (d < 2*(k+1)) ? "d < 2(k+1): both consistent" : (d == 2*(k+1)) ? "d = 2(k+1): the transition" : "d > 2(k+1): linear smoothers inconsistent"
    set title sprintf("k = %d, d = %d   (%s)", k, d, regime) font ',13'
    if (d < 2*(k+1)) { set key top right } else { set key bottom right }
    plot datafile('phase_ls.tsv') using 4:(sel(k, d, $6)) with linespoints ls 102 pt 4 title "LB (every linear smoother)", \
         datafile('phase_ls.tsv') using 4:(sel(k, d, $7)) with linespoints lt 1 title "Laplacian smoothing (oracle, exact)", \
         datafile('phase_ktf.tsv') using 4:(sel(k, d, $6)):(sel(k, d, $7)) with yerrorbars lt 2 pt 5 notitle, \
         datafile('phase_ktf.tsv') using 4:(sel(k, d, $6)) with lines lt 2 title "KTF (oracle {/Symbol l}, mean +- s.e.)"
}
unset multiplot
unset logscale
set format y "% h"

# ---- F2: heterogeneous smoothness in d = 2 -------------------------------------------------------------------
eval wide
set output png('trend_filtering-rates')
set multiplot layout 1,2 title "Sadhanala et al. 2024, heterogeneous smoothness in d = 2: oracle MSE vs n ({/Symbol s} = 0.5, mean +- s.e. over noise draws)"
set logscale xy
set format y "10^{%L}"
set xlabel "n = N^2"
set ylabel "MSE"
set key bottom left font ',12'
# Guide slopes through the first KTF point of each block.
stats datafile('rates.tsv') index 0 every ::0::0 using 2 nooutput
n0 = STATS_min
stats datafile('rates.tsv') index 0 every ::0::0 using 3 nooutput
m0 = STATS_min
set title "signal A (disc + bump + ramp), order k = 0" font ',13'
plot datafile('rates.tsv') index 0 using 2:3:4 with yerrorlines lt 2 title "KTF k = 0", \
     datafile('rates.tsv') index 0 using 2:5:6 with yerrorlines lt 1 title "Laplacian smoothing", \
     datafile('rates.tsv') index 0 using 2:7:8 with yerrorlines lt 3 title "Laplacian eigenmaps", \
     m0 * (x / n0)**(-0.5) with lines ls 101 title "slope -1/2", \
     m0 * (x / n0)**(-1.0/3) with lines ls 102 title "slope -1/3"
stats datafile('rates.tsv') index 1 every ::0::0 using 2 nooutput
n0 = STATS_min
stats datafile('rates.tsv') index 1 every ::0::0 using 3 nooutput
m0 = STATS_min
set title "signal B (pyramid + bump + ramp), order k = 1" font ',13'
plot datafile('rates.tsv') index 1 using 2:3:4 with yerrorlines lt 2 title "KTF k = 1", \
     datafile('rates.tsv') index 1 using 2:5:6 with yerrorlines lt 1 title "Laplacian smoothing (order 2)", \
     datafile('rates.tsv') index 1 using 2:7:8 with yerrorlines lt 3 title "Laplacian eigenmaps (order 2)", \
     m0 * (x / n0)**(-2.0/3) with lines ls 101 title "slope -2/3", \
     m0 * (x / n0)**(-0.5) with lines ls 102 title "slope -1/2"
unset multiplot
unset logscale
set format y "% h"

# ---- F3: a 2-D example as images --------------------------------------------------------------------------------
set terminal pngcairo size 2000,480 enhanced font font_spec linewidth 1.5 rounded
set output png('trend_filtering-image')
set multiplot layout 1,5 title "Sadhanala et al. 2024, a 2-D example (signal A, {/Symbol s} = 0.5); every estimate at its oracle parameter; one colour scale, -0.5 (black) to 2.5 (white)"
set size ratio -1
unset key
unset grid
set xrange [0:1]
set yrange [0:1]
set cbrange [-0.5:2.5]
set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', 4 '#fe9f6d', 5 '#fcfdbf')
unset colorbox
set xlabel "x_2"
set ylabel "x_1"
set tics font ',10'
do for [c = 1:5] {
    t = c == 1 ? "truth" : c == 2 ? "noisy data" : c == 3 ? "KTF, k = 0" : c == 4 ? "KTF, k = 1" : "Laplacian smoothing"
    set title t font ',13'
    plot datafile('image.tsv') using 2:1:(column(c + 2)) with image
}
unset multiplot
unset colorbox
set size noratio
set grid
unset xrange
unset yrange
unset cbrange
set tics font font_spec

# ---- F4: the solver's certificate --------------------------------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('trend_filtering-gap')
set title "Solver certificate: relative duality gap vs iteration (KTF k = 1, d = 2, 64 x 64, {/Symbol l} = 1)"
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xlabel "iteration + 1 (interior point: Newton steps; FISTA: gradient steps)"
set ylabel "(P({/Symbol q}_u) - D(u)) / P({/Symbol q}_u)"
set key top right
plot datafile('gap.tsv') index 0 using ($1 + 1):2 with linespoints lt 2 title "primal-dual interior point (banded Newton)", \
     datafile('gap.tsv') index 1 using ($1 + 1):2 with lines lt 1 title "dual FISTA with restarts (the independent check)"
