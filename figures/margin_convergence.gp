# figures/margin_convergence.gp -- Soudry et al., ICLR 2018, "The Implicit Bias of Gradient Descent on
# Separable Data": Fig. 1 (panels A-E, plus Theorem 4's offset), the validation analogue of Fig. 2, and
# the 1/ln t rate of the direction on random data.
# Data: papers/margin_convergence (points.tsv, lines.tsv, gd.tsv, gdmo.tsv, validation.tsv, random.tsv).
load 'style.gp'

# ---- Figure 1: six panels --------------------------------------------------------------------------------
set terminal pngcairo size 1800,1100 enhanced font font_spec linewidth 1.5 rounded
set output png('margin_convergence-fig1')
set multiplot layout 2,3 title "Soudry et al. 2018, Fig. 1: GD (and GD with momentum) on separable 2-D data"

# (A) the data, the max-margin separator and GD's separator at the last step
set title "(A) data, SVM separator, GD separator at T"
set xlabel "x_1"
set ylabel "x_2"
set size ratio -1
set xrange [-4.5:4.5]
set yrange [-4.5:4.5]
set clip two                      # the lines run beyond the box: draw the part inside
set key top left opaque nobox font ',10' samplen 2 spacing 0.9
plot datafile('lines.tsv') index 1 using 1:2 with lines ls 101 dt 2 title "SVM margins", \
     datafile('lines.tsv') index 2 using 1:2 with lines ls 101 dt 2 notitle, \
     datafile('points.tsv') using ($3 > 0 ? $1 : 1/0):2 with points pt 1 ps 2.5 lw 3 lc rgb '#D55E00' title "y = +1", \
     datafile('points.tsv') using ($3 < 0 ? $1 : 1/0):2 with points pt 7 ps 1.8 lc rgb '#009E73' title "y = -1", \
     datafile('points.tsv') using ($5 > 0 ? $1 : 1/0):2 with points pt 6 ps 3.5 lw 1.5 lc rgb '#000000' title "support vectors", \
     datafile('lines.tsv') index 0 using 1:2 with lines lw 3 lc rgb '#000000' dt 1 title "max margin (SVM)", \
     datafile('lines.tsv') index 3 using 1:2 with lines lw 3 lc rgb '#0072B2' dt 2 title "GD at T"
set size noratio
set autoscale xy
set key top left noopaque nobox font font_spec samplen 3 spacing 1.1 width 0

# (B) normalized norm: a straight line on a log-t axis is logarithmic growth
set title "(B) ||w(t)|| / ||w(T)||  (straight line = ln t growth)"
set xlabel "iteration t"
set ylabel "||w(t)|| / ||w(T)||"
set logscale x
set format x "10^{%L}"
set yrange [0:1.05]
plot datafile('gd.tsv') using 1:3 lt 1 title "GD", \
     datafile('gdmo.tsv') using 1:3 lt 2 title "GD with momentum"
set autoscale y

# (C) training loss, log-log, with Theorem 4's ||w_hat||^2 / (eta_eff t)
set title "(C) training loss L(w(t))  (slope -1)"
set ylabel "L(w(t))  (sum over the 16 points)"
set logscale y
set format y "10^{%L}"
set key top right
plot datafile('gd.tsv') using 1:4 lt 1 title "GD", \
     datafile('gdmo.tsv') using 1:4 lt 2 title "GD with momentum", \
     datafile('gd.tsv') using 1:($1 >= 100 ? $6 : 1/0) ls 102 title "||ŵ||^2/(η t)", \
     datafile('gdmo.tsv') using 1:($1 >= 100 ? $6 : 1/0) ls 101 title "||ŵ||^2(1-β)/(η t)"

# (D) angle to the SVM direction
set title "(D) angle between w(t) and ŵ"
set ylabel "angle [rad]"
set key top right
plot datafile('gd.tsv') using 1:7 lt 1 title "GD", \
     datafile('gdmo.tsv') using 1:7 lt 2 title "GD with momentum"

# (E) margin gap
set title "(E) margin gap 1/||ŵ|| - min_n x̃_n·w/||w||"
set ylabel "margin gap"
plot datafile('gd.tsv') using 1:8 lt 1 title "GD", \
     datafile('gdmo.tsv') using 1:8 lt 2 title "GD with momentum"

# (F) the offset w(t) - ŵ ln t against Theorem 4's limit
set title "(F) offset r(t) = w(t) - ŵ ln t  vs Theorem 4"
set ylabel "component of r along ŵ"
unset logscale y
set format y "%g"
set key top right
plot datafile('gd.tsv') using 1:9 lt 1 title "GD", \
     datafile('gdmo.tsv') using 1:9 lt 2 title "GD with momentum", \
     datafile('gd.tsv') using 1:11 ls 102 title "theory, GD (η)", \
     datafile('gdmo.tsv') using 1:11 ls 101 title "theory, momentum (η/(1-β))"
unset multiplot

# ---- The validation analogue of Fig. 2 / Table 1 ---------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('margin_convergence-validation')
set title "Soudry et al. 2018, Fig. 2 analogue: validation loss rises, validation error does not"
set xlabel "iteration t"
set logscale x
set format x "10^{%L}"
unset logscale y
set format y "%g"
set ylabel "test logistic loss (mean over test points)"
set y2label "test error"
set y2tics
set ytics nomirror
set y2range [0:0.2]
set key top left
plot datafile('validation.tsv') using 1:2 lt 1 title "test loss (left axis)", \
     datafile('validation.tsv') using 1:3 axes x1y2 lt 2 title "test error (right axis)"
unset y2tics
unset y2label

# ---- Random data: the direction converges like 1/ln t while the loss falls like 1/t -----------------------
set terminal pngcairo size 1800,700 enhanced font font_spec linewidth 1.5 rounded
set output png('margin_convergence-random')
stats datafile('random.tsv') using 1 nooutput
T_last = STATS_max
stats datafile('random.tsv') using ($1 == T_last ? $3 : 1/0) nooutput
angle_last = STATS_max
set multiplot layout 1,2 title "Soudry et al. 2018, Theorem 3 rates on random separable data (d = 10, N = 50 by default)"
set title "training loss: falls like 1/t"
set xlabel "iteration t"
set ylabel "L(w(t))"
set logscale xy
set format y "10^{%L}"
set key top right
plot datafile('random.tsv') using 1:2 lt 1 title "GD", \
     datafile('random.tsv') using 1:($1 >= 100 ? $7 : 1/0) ls 102 title "||ŵ||^2/(η t)"
set title "angle to ŵ: falls like 1/ln t"
set ylabel "angle [rad]"
set key bottom left
plot datafile('random.tsv') using 1:3 lt 1 title "GD: angle(w(t), ŵ)", \
     datafile('random.tsv') using 1:4 lt 2 title "least-squares direction w_{LS}", \
     datafile('random.tsv') using 1:($1 >= 100 ? angle_last * log(T_last) / log($1) : 1/0) ls 102 title "c / ln t"
unset multiplot
