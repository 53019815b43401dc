# figures/depth_preconditioner.gp -- Arora, Cohen & Hazan, ICML 2018 (arXiv:1802.06509): depth as an implicit
# preconditioner. Data: papers/depth_preconditioner (acc_p4, acc_p2, best_eta, e2e_check, width .tsv). See
# style.gp for how Makefile.figures calls this script.
load 'style.gp'

names = "gd_depth1 gd_depth2 gd_depth3 adagrad adadelta momentum adadelta_eta1"
labels = "'GD, depth 1' 'GD, depth 2' 'GD, depth 3' 'AdaGrad' 'AdaDelta (tuned scale)' 'heavy-ball 0.9' 'AdaDelta as published (untuned)'"

# Each method's best step size (column 3 of best_eta.tsv; index 0 is p = 4, index 1 is p = 2) for the legends.
array eta4[7]
array eta2[7]
do for [m = 1:7] {
    stats datafile('best_eta.tsv') index 0 every ::(m-1)::(m-1) using 3 nooutput
    eta4[m] = STATS_max
    stats datafile('best_eta.tsv') index 1 every ::(m-1)::(m-1) using 3 nooutput
    eta2[m] = STATS_max
}
stats datafile('optimum.tsv') every ::0::0 using ($2 - $3) nooutput
gap0_p4 = STATS_max
stats datafile('optimum.tsv') every ::1::1 using ($2 - $3) nooutput
gap0_p2 = STATS_max

# ---- Fig. F1 analogue: l4 regression, every method at its own best step --------------------------------------
set output png('depth_preconditioner-l4')
set title "Arora et al. 2018, Fig. F1 analogue (l_4 regression): gap to the optimum, each method at its best step"
set xlabel "iteration (full batch)"
set ylabel "L(w_t) - L*   (L* by Newton's method)"
set logscale y
set format y "10^{%L}"
set yrange [1e-14:*]
set key top right title "method (best {/Symbol h})" samplen 3
plot for [m = 1:7] datafile('acc_p4.tsv') using 1:(column(m+1)) with lines lt m \
         title sprintf("%s, {/Symbol h} = %.3g", word(labels, m), eta4[m]), \
     1e-6 * gap0_p4 with lines ls 101 dt 3 title "target 10^{-6} (L(0) - L*)"

# ---- The same for l2: depth must not help ------------------------------------------------------------------
set output png('depth_preconditioner-l2')
set title "Arora et al. 2018, Sec. 6 (l_2 regression): depth gives no speed-up; each method at its best step"
plot for [m = 1:7] datafile('acc_p2.tsv') using 1:(column(m+1)) with lines lt m \
         title sprintf("%s, {/Symbol h} = %.3g", word(labels, m), eta2[m]), \
     1e-6 * gap0_p2 with lines ls 101 dt 3 title "target 10^{-6} (L(0) - L*)"
set xrange [0:1000]
set output png('depth_preconditioner-l2_zoom')
set title "Arora et al. 2018, Sec. 6 (l_2 regression), first 1000 iterations"
replot
unset xrange

# ---- The end-to-end update rule against the real network ----------------------------------------------------
eval wide
set output png('depth_preconditioner-e2e')
set multiplot layout 1,2 title "Arora et al. 2018, Thm. 1: the end-to-end update rule vs GD on a balanced depth-N net (l_4)"
set title "gap to the optimum: network (solid), rule (circles), plain GD (dashed)"
set xlabel "iteration ({/Symbol h} = 0.01 x best depth-2 {/Symbol h})"
set ylabel "L(w_t) - L*"
set key top right title ""
set yrange [1e-4:1e4]
plot datafile('e2e_check.tsv') index 0 using 1:2 with lines lt 1 title "depth-2 net", \
     '' index 0 every 40 using 1:3 with points lt 1 pt 6 ps 1.3 title "end-to-end rule, N = 2", \
     '' index 1 using 1:2 with lines lt 2 title "depth-3 net", \
     '' index 1 every 40 using 1:3 with points lt 2 pt 4 ps 1.3 title "end-to-end rule, N = 3", \
     '' index 0 using 1:4 with lines lt 7 dt 2 title "plain GD (depth 1) from the same w(0)"
set title "distance from the network's trajectory, relative to |w_{net}(T)|"
set ylabel "|w_{net}(t) - w(t)| / |w_{net}(T)|"
set key top right
set yrange [1e-6:1e3]
plot datafile('e2e_check.tsv') index 0 using 1:5 with lines lt 1 title "end-to-end rule, N = 2", \
     '' index 1 using 1:5 with lines lt 2 title "end-to-end rule, N = 3", \
     '' index 0 using 1:6 with lines lt 7 dt 2 title "plain GD vs depth-2 net", \
     '' index 1 using 1:6 with lines lt 4 dt 2 title "plain GD vs depth-3 net"
unset multiplot
set yrange [1e-14:*]

# ---- Iterations to the target per method --------------------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('depth_preconditioner-iters')
set title "Arora et al. 2018: iterations to L - L* <= 10^{-6} (L(0) - L*), each method at its best step"
set xlabel ""
set ylabel "iterations to target (a run that never reaches it counts as T)"
set logscale y
set yrange [1:*]
set style fill solid 0.7 border -1
set boxwidth 0.38
set key top left title ""
set xtics rotate by -25 nomirror
set xtics ("GD depth 1" 0, "GD depth 2" 1, "GD depth 3" 2, "AdaGrad" 3, "AdaDelta" 4, "heavy-ball" 5, "AdaDelta {/Symbol h}=1" 6)
plot datafile('best_eta.tsv') index 0 using ($1 - 0.2):4 with boxes lt 1 title "l_4 loss", \
     '' index 1 using ($1 + 0.2):4 with boxes lt 2 dt 1 title "l_2 loss", \
     '' index 0 using ($1 - 0.2):4:(sprintf("%d", $4)) with labels offset 0,0.7 font ',11' notitle, \
     '' index 1 using ($1 + 0.2):4:(sprintf("%d", $4)) with labels offset 0,0.7 font ',11' notitle
set style fill empty
set xtics norotate autofreq nomirror out

# ---- Width independence --------------------------------------------------------------------------------------
set output png('depth_preconditioner-width')
set title "Arora et al. 2018, Thm. 1: the end-to-end dynamics depend on the depth, not on the hidden width (l_4)"
set xlabel "iteration ({/Symbol h} = 0.1 x best depth-2 {/Symbol h})"
set ylabel "L(w_t) - L*"
set yrange [1e-6:*]
set key top right title ""
plot datafile('width.tsv') using 1:2 with lines lt 1 lw 4 title "depth 2, width 1 (balanced start)", \
     '' using 1:3 with lines lt 2 title "depth 2, width 8 (random start)", \
     '' using 1:4 with lines lt 3 title "depth 2, width 32 (random start)", \
     '' using 1:5 with lines lt 7 dt 2 title "plain GD (depth 1) from the width-1 start"
