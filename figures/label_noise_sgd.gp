# figures/label_noise_sgd.gp -- Li, Wang & Arora, "What Happens after SGD Reaches Zero Loss?", ICLR 2022.
# The paper has no experimental figures; these panels illustrate its theorems for sparse regression (see
# papers/label_noise_sgd/README.md). Data: label_noise_sgd --out <datadir> (and --haochen for the last one).
#   label_noise_sgd-trajectories  Fig. A: test error and sharpness vs step, LN-SGD / GD / plain SGD; the
#                                 test error at Phi(x_k), the noise-free gradient-flow limit of x_k (exact)
#   label_noise_sgd-samples       Fig. B: final test error vs n, with the exact kernel-regime prediction
#   label_noise_sgd-clock         Fig. C: sharpness vs step and vs tau = eta^2 step, three step sizes
#   label_noise_sgd-coords        Fig. D: u_j^2 + v_j^2 on and off the support vs tau
#   label_noise_sgd-haochen       HaoChen et al. (2020) recipe (only when haochen.tsv exists)
load 'style.gp'

# R* = 4 sum_j c_j |w*_j| and R_init, from final.tsv (columns 6 and 5)
stats datafile('final.tsv') using 6 nooutput
rstar = STATS_max
stats datafile('final.tsv') using 5 nooutput
rinit = STATS_max
pos(x) = x > 0 ? x : 1/0
# errors below 1e-16 (||w - w*|| ~ 1e-8 and less) are drawn at 1e-16 so that they stay on the log axis
lowclip(x) = x < 1e-16 ? 1e-16 : x

# ---- Fig. A ----------------------------------------------------------------------------------------------
eval wide
set output png('label_noise_sgd-trajectories')
set multiplot layout 1,2 title "Fig. A: label noise leaves the kernel regime, GD and plain SGD do not  (d = 100, n = 40, {/Symbol k} = 5, {/Symbol a} = 1, {/Symbol h} = 0.002)"
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set xlabel "step k"
set ylabel "test error ||w - w*||^2 (floor 10^{-16})"
set yrange [1e-17:30]
set key bottom left
plot datafile('traj.tsv') index 0 using (pos($1)):(lowclip($7)) title 'label-noise SGD ({/Symbol d} = 1), at {/Symbol F}(x_k)' lt 1, \
     ''                   index 0 using (pos($1)):4 title 'label-noise SGD, the noisy iterate x_k itself' lt 6 lw 1, \
     ''                   index 1 using (pos($1)):(lowclip($7)) title 'full-batch GD' lt 2, \
     ''                   index 2 using (pos($1)):(lowclip($7)) title 'plain batch-1 SGD, at {/Symbol F}(x_k)' lt 3
unset yrange
set ylabel "sharpness tr {/Symbol \321}^2L = 4 {/Symbol S}_j c_j (u_j^2 + v_j^2)"
set format y "%g"
set yrange [10:2000]
set key center left
plot datafile('traj.tsv') index 0 using (pos($1)):6 title 'label-noise SGD' lt 1, \
     ''                   index 1 using (pos($1)):6 title 'full-batch GD' lt 2, \
     ''                   index 2 using (pos($1)):6 title 'plain batch-1 SGD' lt 3, \
     rstar title sprintf('R* = 4 {/Symbol S} c_j |w*_j| = %.1f (end of the label-noise flow)', rstar) ls 102
unset multiplot
unset yrange

# ---- Fig. B ----------------------------------------------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('label_noise_sgd-samples')
set title "Fig. B: label-noise SGD needs O({/Symbol k} ln d) samples, GD {/Symbol W}(d)  (d = 100, {/Symbol k} = 5)"
unset logscale x
set logscale y
set format y "10^{%L}"
set format x "%g"
set xlabel "training samples n"
set ylabel "final test error ||w - w*||^2 at {/Symbol F}(x_K) (floor 10^{-16})"
set yrange [1e-17:30]
set xrange [0:90]
set key bottom left
plot datafile('vs_n.tsv') using 1:(lowclip($3)) with points title 'label-noise SGD' lt 1 ps 2, \
     ''                   using 1:4 with points title 'full-batch GD' lt 2 ps 2, \
     ''                   using 1:5 with points title 'min-norm interpolant Z^T(ZZ^T)^{-1}y (kernel regime, exact)' lt 7 ps 1.5, \
     ''                   using 1:6 with points title 'gradient-flow interpolant 2{/Symbol a}^2 sinh(Z^T{/Symbol b}) (exact GD limit)' lt 4 ps 1, \
     ''                   using 1:7 with lines title '||w*||^2 (1 - n/d): mean kernel-regime error' ls 102
unset title
unset xrange
unset yrange

# ---- Fig. C ----------------------------------------------------------------------------------------------
eval wide
set output png('label_noise_sgd-clock')
set multiplot layout 1,2 title "Fig. C: the label-noise sharpness flow runs on the clock {/Symbol t} = {/Symbol h}^2 k"
set logscale xy
set format y "%g"
set format x "10^{%L}"
set yrange [10:2000]
set key bottom left
set ylabel "sharpness tr {/Symbol \321}^2L"
set xlabel "step k"
plot datafile('clock.tsv') index 0 using (pos($2)):4 title sprintf('{/Symbol h} = 0.004') lt 1, \
     ''                    index 1 using (pos($2)):4 title '{/Symbol h} = 0.002' lt 2, \
     ''                    index 2 using (pos($2)):4 title '{/Symbol h} = 0.001' lt 3, \
     1.5 * rstar title '1.5 R* (hitting level of claim C5)' ls 101
set xlabel "{/Symbol t} = {/Symbol h}^2 k"
set format x "10^{%L}"
plot datafile('clock.tsv') index 0 using (pos($3)):4 title '{/Symbol h} = 0.004' lt 1, \
     ''                    index 1 using (pos($3)):4 title '{/Symbol h} = 0.002' lt 2, \
     ''                    index 2 using (pos($3)):4 title '{/Symbol h} = 0.001' lt 3, \
     1.5 * rstar title '1.5 R*' ls 101
unset multiplot
unset yrange

# ---- Fig. D ----------------------------------------------------------------------------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('label_noise_sgd-coords')
set title "Fig. D: label noise shrinks u_j v_j at rate 4{/Symbol d}^2 c_j per unit {/Symbol t}; u_j^2 + v_j^2 then levels off at |w_j|"
set logscale xy
set format y "10^{%L}"
set xlabel "{/Symbol t} = {/Symbol h}^2 k"
set ylabel "mean over coordinates"
set key bottom left
plot datafile('coords.tsv') using (pos($1)):2 title 'on the support (j < {/Symbol k}): u_j^2 + v_j^2, tends to |w*_j| = 1' lt 1, \
     ''                     using (pos($1)):3 title 'off the support: u_j^2 + v_j^2 = (w_j^2 + 4 u_j^2v_j^2)^{1/2}' lt 2, \
     ''                     using (pos($1)):4 title 'off the support: 2|u_j v_j|' lt 4, \
     ''                     using (pos($1)):5 title 'guide: mean of 2{/Symbol a}^2 e^{-4{/Symbol d}^2 c_j {/Symbol t}}' ls 102
unset title

# ---- HaoChen et al. (2020) recipe, when `label_noise_sgd --haochen` has been run ------------------------
if (system(sprintf("test -f '%s' && echo yes || echo no", datafile('haochen.tsv'))) eq "yes") {
    set output png('label_noise_sgd-haochen')
    set title "HaoChen et al. (2020) recipe (w = v.v, lr 0.01 /10 at 1e5, 2e5): LNGD recovers w*, GD does not"
    set logscale xy
    set format y "10^{%L}"
    set format x "10^{%L}"
    set xlabel "iteration"
    set ylabel "test error ||v.v - w*||^2"
    set key bottom left
    plot datafile('haochen.tsv') index 0 using (pos($1)):4 title 'LNGD (label noise, {/Symbol d} = 1)' lt 1, \
         ''                      index 1 using (pos($1)):4 title 'GD' lt 2
}
