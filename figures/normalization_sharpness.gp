# figures/normalization_sharpness.gp -- Lyu, Li & Arora, NeurIPS 2022 (arXiv:2206.07085), on a scale-invariant toy.
# Data: papers/normalization_sharpness (traj, sweep, hess_check, toy3 .tsv). See style.gp for how Makefile.figures
# calls this script. traj.tsv blocks: 0 WD (0.1, 0.01), 1 no WD eta 0.1, 2 no WD eta 1.0, 3 WD (0.05, 0.02),
# 4 WD (0.2, 0.005), 5 WD (1.0, 0.001). Columns: t tau loss norm eta_eff S eta_eff_S rms_angle sqrt(eta S/2)
# sqrt(2 eta lambda).
load 'style.gp'
traj = datafile('traj.tsv')

# ---- F1: the edge of stability ------------------------------------------------------------------------------
set output png('normalization_sharpness-eos')
set title "Lyu et al. 2022, EoS figure (toy): {/Symbol h}_{eff} S settles at 2 only with weight decay"
set xlabel "GD step t"
set ylabel "{/Symbol h}_{eff} S = {/Symbol h} {/Symbol l}_{max}(∇^2L({/Symbol q}_t))"
set logscale x
set xrange [10:*]
set yrange [0:3]
set key bottom right
plot 2 with lines ls 102 title "2 (edge of stability)", \
     traj index 0 using 1:7 with linespoints lt 1 pt 7 ps 0.6 title "WD: {/Symbol h} = 0.1, {/Symbol l} = 0.01", \
     traj index 1 using 1:7 with linespoints lt 2 pt 5 ps 0.6 title "no WD: {/Symbol h} = 0.1", \
     traj index 2 using 1:7 with linespoints lt 3 pt 9 ps 0.6 title "no WD: {/Symbol h} = 1.0"
unset yrange

# ---- F2: sharpness reduction --------------------------------------------------------------------------------
set output png('normalization_sharpness-sharpness')
set title "Lyu et al. 2022, sharpness figure (toy): spherical sharpness S = {/Symbol l}_{max}(∇^2L({/Symbol q}/||{/Symbol q}||))"
set ylabel "spherical sharpness S"
set yrange [0:*]
set key top right
plot traj index 0 using 1:6 with linespoints lt 1 pt 7 ps 0.6 title "WD: {/Symbol h} = 0.1, {/Symbol l} = 0.01", \
     traj index 1 using 1:6 with linespoints lt 2 pt 5 ps 0.6 title "no WD: {/Symbol h} = 0.1", \
     traj index 2 using 1:6 with linespoints lt 3 pt 9 ps 0.6 title "no WD: {/Symbol h} = 1.0"
unset logscale x
unset xrange
unset yrange

# ---- F3: the clock tau = eta lambda t ---------------------------------------------------------------------------
eval wide
set output png('normalization_sharpness-clock')
set multiplot layout 1,2 title "Lyu et al. 2022 (toy): four runs with {/Symbol h}{/Symbol l} = 10^{-3}, {/Symbol h} from 0.05 to 1, on the clock {/Symbol t} = {/Symbol hl}t"
set title "spherical sharpness"
set xlabel "{/Symbol t} = {/Symbol h} {/Symbol l} t"
set ylabel "S"
set yrange [0:*]
set key top right
plot traj index 3 using 2:6 with linespoints lt 3 pt 9 ps 0.5 title "{/Symbol h} = 0.05, {/Symbol l} = 0.02", \
     traj index 0 using 2:6 with linespoints lt 1 pt 7 ps 0.5 title "{/Symbol h} = 0.1, {/Symbol l} = 0.01", \
     traj index 4 using 2:6 with linespoints lt 4 pt 11 ps 0.5 title "{/Symbol h} = 0.2, {/Symbol l} = 0.005", \
     traj index 5 using 2:6 with linespoints lt 5 pt 13 ps 0.5 title "{/Symbol h} = 1.0, {/Symbol l} = 0.001"
set title "{/Symbol h}_{eff} S ({/Symbol h}_{eff} averaged since the previous point)"
set ylabel "{/Symbol h}_{eff} S"
set yrange [0:3]
plot 2 with lines ls 102 title "2", \
     traj index 3 using 2:7 with linespoints lt 3 pt 9 ps 0.5 notitle, \
     traj index 0 using 2:7 with linespoints lt 1 pt 7 ps 0.5 notitle, \
     traj index 4 using 2:7 with linespoints lt 4 pt 11 ps 0.5 notitle, \
     traj index 5 using 2:7 with linespoints lt 5 pt 13 ps 0.5 notitle
unset multiplot
unset yrange

# ---- F4: norm balance and the angular speed ----------------------------------------------------------------------
set output png('normalization_sharpness-norm')
set multiplot layout 1,2 title "Lyu et al. 2022 (toy): the weight norm and the angular step at the edge of stability"
set title "||{/Symbol q}_t|| (lines) against sqrt({/Symbol h} S / 2) (points)"
set xlabel "{/Symbol t} = {/Symbol h} {/Symbol l} t"
set ylabel "||{/Symbol q}||"
set logscale y
set key top right
plot traj index 3 using 2:4 with lines lt 3 title "{/Symbol h} = 0.05", \
     traj index 0 using 2:4 with lines lt 1 title "{/Symbol h} = 0.1", \
     traj index 4 using 2:4 with lines lt 4 title "{/Symbol h} = 0.2", \
     traj index 5 using 2:4 with lines lt 5 title "{/Symbol h} = 1.0", \
     traj index 3 using 2:9 with points lt 3 pt 6 ps 0.7 notitle, \
     traj index 0 using 2:9 with points lt 1 pt 6 ps 0.7 notitle, \
     traj index 4 using 2:9 with points lt 4 pt 6 ps 0.7 notitle, \
     traj index 5 using 2:9 with points lt 5 pt 6 ps 0.7 notitle
unset logscale y
set title "RMS angle between successive directions (since the previous point)"
set ylabel "RMS of ∠({/Symbol q}_t, {/Symbol q}_{t+1})  (rad)"
set yrange [0:0.07]
plot traj index 0 using 2:10 with lines ls 102 title "sqrt(2 {/Symbol h} {/Symbol l}) = 0.0447", \
     traj index 3 using 2:8 with linespoints lt 3 pt 9 ps 0.5 title "{/Symbol h} = 0.05", \
     traj index 0 using 2:8 with linespoints lt 1 pt 7 ps 0.5 title "{/Symbol h} = 0.1", \
     traj index 4 using 2:8 with linespoints lt 4 pt 11 ps 0.5 title "{/Symbol h} = 0.2", \
     traj index 5 using 2:8 with linespoints lt 5 pt 13 ps 0.5 title "{/Symbol h} = 1.0"
unset multiplot
unset yrange

# ---- F5: the sharpness-reduction flow on the analytic toy --------------------------------------------------------
set output png('normalization_sharpness-flow')
set multiplot layout 1,2 title "Sharpness-reduction flow (analytic toy L = a({/Symbol f}) {/Symbol q}_3^2 / 2||{/Symbol q}||^2, a = 3e^{-0.2{/Symbol f}}): d{/Symbol f}/d{/Symbol t} = -c (log a)' with c = 1/2"
set title "direction angle on the valley of minimizers"
set xlabel "{/Symbol t} = {/Symbol h} {/Symbol l} t   (no WD: the same steps)"
set ylabel "{/Symbol f} (rad)"
set key top left
plot datafile('toy3.tsv') index 0 using 1:3 with lines ls 102 title "flow, c = 1/2", \
     datafile('toy3.tsv') index 0 using 1:2 with lines lt 1 title "GD + WD ({/Symbol h} = 0.1, {/Symbol l} = 0.01)", \
     datafile('toy3.tsv') index 1 using 1:2 with lines lt 2 title "GD, no WD"
set title "{/Symbol h}_{eff} S = {/Symbol h} a({/Symbol f}) / ||{/Symbol q}||^2"
set ylabel "{/Symbol h}_{eff} S"
set yrange [0:3]
set key bottom right
plot 2 with lines ls 102 title "2", \
     datafile('toy3.tsv') index 0 using 1:4 with lines lt 1 title "GD + WD", \
     datafile('toy3.tsv') index 1 using 1:4 with lines lt 2 title "GD, no WD"
unset multiplot
