# figures/deep_matrix_factorization.gp -- Arora, Cohen, Hu & Luo, NeurIPS 2019 (arXiv:1905.13655).
# Data: papers/deep_matrix_factorization (vs_obs, sensing, vs_init, reference, dynamics, alignment .tsv).
# See style.gp for how Makefile.figures calls this script.
load 'style.gp'

# ---- Fig. 1 analogue: reconstruction error vs number of observations -----------------------------------------
# vs_obs.tsv / sensing.tsv: blocks 0 = minimum nuclear norm, 1..4 = depth 1..4; columns nobs depth err_geomean
# err_min err_max erank_mean. Points: geometric mean over the problems; bars: min and max.
eval wide
set output png('deep_matrix_factorization-vs_obs')
set multiplot layout 1,2 title "Arora et al. 2019, Fig. 1 analogue: deeper factorizations recover a low-rank matrix from fewer observations"
set logscale y
set format y "10^{%L}"
set ylabel "reconstruction error ||W - W*||_F^2 / n^2"
set key bottom left title "GroupRMSprop, init 10^{-3}" samplen 2
set yrange [1e-13:10]
set title "matrix completion (n = 50, rank 3; --scale full: n = 100, rank 5)"
set xlabel "number of observed entries |{/Symbol W}|"
plot datafile('vs_obs.tsv') index 0 using 1:3:4:5 with yerrorlines lt 7 title "minimum nuclear norm", \
     for [d=1:4] datafile('vs_obs.tsv') index d using 1:3:4:5 with yerrorlines lt d title sprintf("depth %d", d)
set title "matrix sensing (n = 30, rank 2; Gaussian A_i)"
set xlabel "number of measurements m"
plot datafile('sensing.tsv') index 0 using 1:3:4:5 with yerrorlines lt 7 title "minimum nuclear norm", \
     for [d=1:4] datafile('sensing.tsv') index d using 1:3:4:5 with yerrorlines lt d title sprintf("depth %d", d)
unset multiplot
unset yrange

# ---- Fig. 2: error, nuclear norm and effective rank vs init scale --------------------------------------------
# vs_init.tsv: block 3*row + (depth - 2); columns nobs depth alpha x err err_min err_max nucnorm nucnorm_sd
# erank erank_sd. reference.tsv: one line per row: nobs nuc_err nuc_nucnorm nuc_erank truth_nucnorm truth_erank.
eval grid
set output png('deep_matrix_factorization-vs_init')
set multiplot layout 2,3 title "Arora et al. 2019, Fig. 2: as the init shrinks, depth >= 2 beats the minimum nuclear norm with a LARGER nuclear norm"
set logscale x
set format x "10^{%L}"
set xlabel "init scale ||W(0)||_F = {/Symbol a} n^{1/2}"
set key samplen 2 font ",12" title ""
do for [row=0:1] {
    # one column per stats call: a two-column stats of a single row makes gnuplot warn about its regression
    stats datafile('reference.tsv') every ::row::row using 1 nooutput
    nobs = STATS_min
    stats datafile('reference.tsv') every ::row::row using 2 nooutput
    nuc_err = STATS_min
    stats datafile('reference.tsv') every ::row::row using 3 nooutput
    nuc_norm = STATS_min
    stats datafile('reference.tsv') every ::row::row using 4 nooutput
    nuc_erank = STATS_min
    stats datafile('reference.tsv') every ::row::row using 5 nooutput
    truth_norm = STATS_min
    stats datafile('reference.tsv') every ::row::row using 6 nooutput
    truth_erank = STATS_min
    set title sprintf("|{/Symbol W}| = %d: reconstruction error", nobs)
    set logscale y
    set format y "10^{%L}"
    set ylabel "||W - W*||_F^2 / n^2"
    set key at graph 0.98, 0.62 right top
    set yrange [*:* < 10]
    plot for [d=0:2] datafile('vs_init.tsv') index 3*row+d using 4:5:6:7 with yerrorlines lt d+2 title sprintf("depth %d", d+2), \
         nuc_err with lines lt 7 title "min nuclear norm"
    unset logscale y
    unset yrange
    set format y "%g"
    set title sprintf("|{/Symbol W}| = %d: nuclear norm of the solution", nobs)
    set ylabel "||W||_*"
    set key at graph 0.98, 0.62 right top
    plot for [d=0:2] datafile('vs_init.tsv') index 3*row+d using 4:8:9 with yerrorlines lt d+2 title sprintf("depth %d", d+2), \
         nuc_norm with lines lt 7 title "min nuclear norm", truth_norm with lines ls 102 title "ground truth"
    set title sprintf("|{/Symbol W}| = %d: effective rank", nobs)
    set ylabel "effective rank exp(H({/Symbol s}/||{/Symbol s}||_1))"
    plot for [d=0:2] datafile('vs_init.tsv') index 3*row+d using 4:10:11 with yerrorlines lt d+2 title sprintf("depth %d", d+2), \
         nuc_erank with lines lt 7 title "min nuclear norm", truth_erank with lines ls 102 title "ground truth"
}
unset multiplot
unset logscale
set format x "%g"
set format y "%g"

# ---- Fig. 3: singular values vs iteration (plain GD), and the alignment of the gradient ----------------------
# dynamics.tsv: blocks depth 1, 2, 3; columns depth iter s1..s10 test_err. alignment.tsv: iter diag_mean
# diag_sd off_mean off_sd (depth 2).
eval grid
set output png('deep_matrix_factorization-dynamics')
set multiplot layout 2,2 title "Arora et al. 2019, Fig. 3 (top row): the top 10 singular values of W under plain GD (lr 0.1, identity init 10^{-3})"
set xlabel "iteration"
set ylabel "singular value {/Symbol s}_k"
set key default
set key top left noopaque samplen 2 spacing 1.1 font ",12" title ""
do for [d=1:3] {
    set title sprintf("depth %d", d)
    plot for [k=1:10] datafile('dynamics.tsv') index d-1 using 2:(column(k+2)) with lines lt k title (k <= 5 ? sprintf("{/Symbol s}_{%d}", k) : "")
}
set title "depth 2: |entries| of U^T {/Symbol \321}l(W) V (top 10 singular vectors), mean +- sd"
set ylabel "magnitude"
set logscale y
set format y "10^{%L}"
set key top right
plot datafile('alignment.tsv') using 1:2 with lines lt 1 title "diagonal (mean)", \
     '' every 20 using 1:2:3 with yerrorbars lt 1 pt 7 notitle, \
     '' using 1:4 with lines lt 2 title "off-diagonal (mean)", \
     '' every 20::10 using 1:4:5 with yerrorbars lt 2 pt 5 notitle
unset multiplot
