# figures/gd_vs_gradient_flow.gp -- Elkabetz & Cohen, NeurIPS 2021 (arXiv:2107.06608).
# Data: papers/gd_vs_gradient_flow (gfgd_linear, gfgd_relu, gfgd_bigstep, toy, curv .tsv). See style.gp for how
# Makefile.figures calls this script.
load 'style.gp'

# ---- Fig. 2 panels: loss and distances for eta0, eta0/2, ..., eta0/20 on one time axis -----------------------
# Columns of gfgd_*.tsv: 1 k (eta0-iterations)  2 t = k eta0  3-7 loss for r = 1 2 5 10 20  8 distance from
# init of the eta0 run  9-12 distance between the eta0 run and the eta0/r run, r = 2 5 10 20.
ratios = "1 2 5 10 20"
# The step size eta0 = t/k, read off the second data row for the titles.

do for [panel in "linear relu bigstep"] {
    file = sprintf('gfgd_%s.tsv', panel)
    stats datafile(file) every ::1::1 using ($2/$1) nooutput
    eta0 = sprintf("%g", STATS_max)
    eval wide
    set output png(sprintf('gd_vs_gradient_flow-%s', panel))
    if (panel eq "linear") {
        head = sprintf("Elkabetz and Cohen 2021, Fig. 2 (FC linear net; synthetic data unless --mnist): eta0 = %s", eta0)
    }
    if (panel eq "relu") {
        head = sprintf("Elkabetz and Cohen 2021, Fig. 2 (FC ReLU net; synthetic data unless --mnist): eta0 = %s", eta0)
    }
    if (panel eq "bigstep") {
        head = sprintf("Fig. 2 repeated with a too-large step (FC linear net, our addition): eta0 = %s", eta0)
    }
    set multiplot layout 1,2 title head
    set title "training loss; the eta0/r run is plotted at iteration rk, i.e. the same t = k eta0"
    set xlabel "eta0 iterations k   (time t = k eta0)"
    set ylabel "training loss (mean cross-entropy)"
    set key top right title "step size"
    set yrange [0:*]
    plot for [i=1:5] datafile(file) using 1:(column(i+2)) with lines lt i \
         title (i == 1 ? "eta0" : sprintf("eta0/%s", word(ratios, i)))
    set title "distance between runs, against the distance travelled from init"
    set ylabel "Euclidean distance over all weights"
    set key top left title ""
    stats datafile(file) using 8 nooutput
    set yrange [0:1.45 * STATS_max]   # room for the key above the curves
    plot datafile(file) using 1:8 with lines lt 7 lw 3 title "eta0 run from init: ||θ_k - θ_0||", \
         for [i=2:5] '' using 1:(column(i+7)) with lines lt i \
         title sprintf("eta0 run from eta0/%s run", word(ratios, i))
    unset multiplot
    unset yrange
}

# ---- The saddle toy (Thm 1 / Prop 1): error / eta vs t, with lambda_min(t) ------------------------------------
# Columns of toy.tsv: 1 t  2-4 err/eta for eta = 0.1, 0.01, 0.001  5 lambda_min(t) on the flow  6 exp(-int lambda_-)
# 7 err/eta of the convex control at eta = 0.01.
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('gd_vs_gradient_flow-saddle')
set title "Thm 1 on a saddle toy, f = x^2/2 - y^2/2 + y^4/4 from (1, 10^{-3}) (our illustration)"
set xlabel "time t = k {/Symbol h}"
set ylabel "GD error / step:  ||θ(t) - θ_{t/{/Symbol h}}|| / {/Symbol h}"
set logscale y
set format y "10^{%L}"
set yrange [1e-4:1e6]   # the decades above 1e3 hold the key
set y2label "{/Symbol l}_{min} of the Hessian on the flow"
set y2range [-1.2:1.2]
set y2tics nomirror
set ytics nomirror
set key top left title ""
plot datafile('toy.tsv') using 1:2 with lines lt 1 title "saddle, {/Symbol h} = 0.1", \
     '' using 1:3 with lines lt 2 title "saddle, {/Symbol h} = 0.01", \
     '' using 1:4 with lines lt 3 title "saddle, {/Symbol h} = 0.001", \
     '' using 1:7 with lines lt 4 title "convex control (x^2+y^2)/2, {/Symbol h} = 0.01", \
     '' using 1:6 with lines ls 101 title "exp(-∫_0^t {/Symbol l}_-): Thm 1's amplification factor", \
     '' using 1:5 axes x1y2 with lines ls 102 title "{/Symbol l}_{min}(t) (right axis)"
unset logscale y
unset y2label
unset y2tics
unset y2range
unset yrange
set format y "%g"

# ---- Thm 2: lambda_min along the trajectory against random points of the same layer norms ----------------------
# Columns of curv.tsv: 1 t  2 loss  3 ||grad f||  4 lambda_min on the trajectory  5 most negative lambda_min of 5
# random points with the trajectory's layer norms.
eval wide
set output png('gd_vs_gradient_flow-curvature')
set multiplot layout 1,2 title "Thm 2: curvature along GD (eta = 0.01, close to the flow) of a 5-4-4-1 linear net from near-zero init"
set title "minimum Hessian eigenvalue"
set xlabel "time t"
set ylabel "{/Symbol l}_{min}(∇^2 f)"
set key center right title ""
plot datafile('curv.tsv') using 1:4 with linespoints lt 1 title "along the trajectory", \
     '' using 1:5 with linespoints lt 2 title "random points, same layer norms (min of 5)", \
     '' using 1:(-column(3)) with lines ls 102 title "-||∇f|| on the trajectory"
set title "training loss on the trajectory: a plateau near the saddle at 0, then escape"
set ylabel "loss (1/2m) Σ (ŷ - y)^2"
set logscale y
set format y "10^{%L}"
set key top right
plot datafile('curv.tsv') using 1:2 with linespoints lt 1 title "f(θ(t))"
unset multiplot
unset logscale y
set format y "%g"

# ---- First order in the step (claim first_order): D_r against 1 - 1/r -------------------------------------------
# summary.tsv rows: family eta0 r D_r. Euler's error at time t is ~ eta e(t), so the gap between the eta0 and
# eta0/r runs is ~ eta0 (1 - 1/r) e(t): D_r on a straight line through the origin in 1 - 1/r.
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('gd_vs_gradient_flow-order')
set title "GD is Euler's method: the gap to smaller steps is first order in the step (D_2 / D_{20} = 0.53)"
set xlabel "1 - 1/r   (r = 2, 5, 10, 20)"
set ylabel "D_r / D_{20}   (D_r: largest gap to the eta0/r run, relative)"
set key top left title ""
set xrange [0:1]
set yrange [0:1.2]
# D_20 of each family, picked out of summary.tsv by stats (rows of other families give NaN and are skipped)
stats datafile('summary.tsv') using ((strcol(1) eq "linear" && $3 == 20) ? $4 : NaN) nooutput
D20_linear = STATS_max
stats datafile('summary.tsv') using ((strcol(1) eq "relu" && $3 == 20) ? $4 : NaN) nooutput
D20_relu = STATS_max
stats datafile('summary.tsv') using ((strcol(1) eq "bigstep" && $3 == 20) ? $4 : NaN) nooutput
D20_big = STATS_max
plot datafile('summary.tsv') using (strcol(1) eq "linear" ? 1 - 1/$3 : NaN):($4 / D20_linear) with linespoints lt 1 title "linear net, conventional eta0", \
     '' using (strcol(1) eq "relu" ? 1 - 1/$3 : NaN):($4 / D20_relu) with linespoints lt 2 title "ReLU net, conventional eta0", \
     '' using (strcol(1) eq "bigstep" ? 1 - 1/$3 : NaN):($4 / D20_big) with linespoints lt 3 title "linear net, too-large eta0", \
     x / 0.95 with lines ls 102 title "Euler: (1 - 1/r) / 0.95"
unset xrange
unset yrange
