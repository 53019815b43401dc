# figures/deep_linear_dynamics.gp -- Saxe, McClelland & Ganguli, ICLR 2014 (arXiv:1312.6120).
# Data: papers/deep_linear_dynamics (modes, delays, shallow_deep, depth, spectra .tsv). See style.gp for how
# Makefile.figures calls this script.
load 'style.gp'

# ---- Fig. 3: mode strengths vs time, and the delay of random initialization -------------------------------
eval wide
set output png('deep_linear_dynamics-modes')
set multiplot layout 1,2 title "Saxe et al. 2014, Fig. 3: learning of the modes of hierarchical data (three-layer linear net)"
set title "u_a(t) = U_a^T W^{32} W^{21} V_a: random init (coloured), eq. 12 (grey), decoupled init (circles)"
set xlabel "t (full-batch iterations)"
set ylabel "mode strength u_a"
set key top right maxrows 2 title "" samplen 2
stats datafile('modes.tsv') index 2 using 1:2 nooutput
set xrange [0:STATS_max_x]
set yrange [0:1.3 * STATS_max_y]
modes = "1 2 3 5 12 18 31"
plot for [k=1:7] datafile('modes.tsv') index 0 using 1:(column(k+1)) with lines ls 101 notitle, \
     for [k=1:7] datafile('modes.tsv') index 2 using 1:(column(k+1)) with lines lt k lw 2.5 title sprintf("mode %s", word(modes, k)), \
     for [k=1:7] datafile('modes.tsv') index 1 every 60 using 1:(column(k+1)) with points lt k pt 6 ps 1 notitle
unset xrange
unset yrange
set title "half-learning time of random init relative to eq. 12 (mean +- sd over inits)"
set xlabel "mode a (in decreasing order of strength s_a)"
set ylabel "(t_{1/2}^{sim} - t_{1/2}^{analytic}) / t_{1/2}^{analytic}"
set key top left noreverse Right title ""
set style fill solid 0.6 border -1
set boxwidth 0.6
set xtics ("1" 0, "2" 1, "3" 2, "5" 3, "12" 4, "18" 5, "31" 6)
set yrange [0:*]
plot datafile('delays.tsv') using 0:5 with boxes lt 1 title "random small init", \
     '' using 0:5:6 with yerrorbars lt 7 pt 0 lw 1.5 notitle, \
     '' using 0:((column(4)-column(3))/column(3)) with points lt 2 pt 7 ps 1.5 title "decoupled init (discretization error)"
unset multiplot
set xtics autofreq
unset yrange
set style fill empty

# ---- Shallow vs deep trajectories (eqs. 11, 12, 15) ---------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('deep_linear_dynamics-shallow_deep')
set title "Saxe et al. 2014, eqs. 11, 12, 15: one mode (s = 1, u_0 = 0.01) in nets of N_l layers"
set xlabel "t / {/Symbol t}   ({/Symbol t} = 1/{/Symbol l} iterations)"
set ylabel "mode strength u / s"
set key center right title "analytic (lines), GD on a scalar chain (points)"
set yrange [0:1.05]
plot datafile('shallow_deep.tsv') using 1:2 with lines lt 1 title "N_l = 2 (shallow): exponential", \
     '' using 1:3 with lines lt 2 title "N_l = 3: sigmoid (eq. 12)", \
     '' using 1:4 with lines lt 3 title "N_l = 5 (eq. 15)", \
     '' using 1:5 with lines lt 4 title "N_l = 10 (eq. 15)", \
     '' every 25 using 1:6 with points lt 1 pt 6 notitle, \
     '' every 25 using 1:7 with points lt 2 pt 6 notitle, \
     '' every 25 using 1:8 with points lt 3 pt 6 notitle, \
     '' every 25 using 1:9 with points lt 4 pt 6 notitle
unset yrange

# ---- Figs. 4 and 6A: iterations to the criterion vs depth ---------------------------------------------------
eval wide
set output png('deep_linear_dynamics-depth')
set multiplot layout 1,2 title "Saxe et al. 2014, Figs. 4 and 6A (synthetic 16-d task): learning time vs depth, each depth at its best step"
set title "iterations to L < 10^{-3} L(0) (points at the top: never, within the cap)"
set xlabel "number of weight matrices N"
set ylabel "iterations"
set logscale xy 2
set logscale y 10
set format y "10^{%L}"
set xrange [1.5:*]
set key bottom right title "" maxrows 3
plot datafile('depth.tsv') index 0 using 1:2 with linespoints lt 1 title "aligned orthogonal (pretraining-like)", \
     '' index 1 using 1:2 with linespoints lt 2 title "scaled Gaussian N(0, 1/d)", \
     '' index 2 using 1:2 with linespoints lt 3 title "random orthogonal"
set title "best step size for the aligned init (the stable step shrinks like 1/N)"
set ylabel "best step size {/Symbol h}"
set format y "%g"
set key top right
plot datafile('depth.tsv') index 0 using 1:3 with linespoints lt 1 title "aligned orthogonal", \
     0.6/x with lines ls 102 title "0.6 / N"
unset multiplot
unset logscale
unset xrange
set format y "%g"

# ---- Fig. 6B: spectra of products of random matrices --------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('deep_linear_dynamics-spectra')
set title "Saxe et al. 2014, Fig. 6B: singular values of a product of N random matrices"
set xlabel "log_{10} {/Symbol s}"
set ylabel "density"
set key top left title "N Gaussian N(0, 1/d) factors"
set arrow 1 from 0, graph 0 to 0, graph 1 nohead ls 102
set label 1 "orthogonal factors:\nevery {/Symbol s} = 1" at -0.1, graph 0.9 right
plot for [k=1:4] datafile('spectra.tsv') using 1:(column(k+1)) with steps lt k title sprintf("N = %s", word("1 2 4 8", k))
unset arrow 1
unset label 1
