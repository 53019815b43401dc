# figures/style.gp -- the one look of every figure in the suite.
#
# Every figures/<paper>.gp starts with `load 'style.gp'`. Makefile.figures runs gnuplot from the project
# root as
#     gnuplot -e "datadir='data/<paper>'; outdir='figures/out'" -e "set loadpath 'figures'" figures/<paper>.gp
# so a script reads its data only under `datadir` and writes only under `outdir`:
#     set output png('deep_linear_dynamics-modes')        -> figures/out/deep_linear_dynamics-modes.png
#     plot datafile('modes.tsv') ...                      -> data/deep_linear_dynamics/modes.tsv
#
# Terminal: pngcairo at a fixed size with an explicit font, no timestamp: reruns give byte-identical PNGs.
# Colours: the Okabe-Ito palette (safe for the common kinds of colour blindness), and every line style also
# has its own dash pattern and point type, so a figure stays readable printed in grey.

if (!exists("datadir")) datadir = 'data'
if (!exists("outdir")) outdir = 'figures/out'
png(name) = sprintf('%s/%s.png', outdir, name)
datafile(name) = sprintf('%s/%s', datadir, name)

# One panel: 1200 x 800 px. Wider figures call `set terminal pngcairo size ...` again with `wide`/`grid`.
font_spec = 'DejaVu Sans,15'
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set encoding utf8
# Multi-panel sizes: `eval wide` (two or three panels side by side), `eval grid` (2 x 2).
wide = "set terminal pngcairo size 1800,700 enhanced font font_spec linewidth 1.5 rounded"
grid = "set terminal pngcairo size 1600,1200 enhanced font font_spec linewidth 1.5 rounded"

# Okabe & Ito (2008) colours, each with a dash type and a point type of its own.
set linetype 1 lc rgb '#0072B2' dt 1 pt 7  lw 2   # blue,           solid,     filled circle
set linetype 2 lc rgb '#D55E00' dt 2 pt 5  lw 2   # vermillion,     dashed,    filled square
set linetype 3 lc rgb '#009E73' dt 3 pt 9  lw 2   # bluish green,   dotted,    filled triangle
set linetype 4 lc rgb '#CC79A7' dt 4 pt 11 lw 2   # reddish purple, dash-dot,  filled triangle down
set linetype 5 lc rgb '#E69F00' dt 5 pt 13 lw 2   # orange,         dash-dot-dot, filled diamond
set linetype 6 lc rgb '#56B4E9' dt (8,4,2,4,2,4) pt 6 lw 2  # sky blue,     open circle
set linetype 7 lc rgb '#000000' dt 1 pt 4  lw 2   # black,          solid,     open square
set linetype 8 lc rgb '#F0E442' dt (2,2) pt 8 lw 2  # yellow,       fine dots, open triangle
set linetype cycle 8
# Styles for "theory" against "simulation" pairs: a thin solid grey and a dashed black.
set style line 101 lc rgb '#555555' dt 1 lw 1.5
set style line 102 lc rgb '#000000' dt 2 lw 1.5

set border 3 lw 1.2
set tics nomirror out
set grid lc rgb '#dddddd' lw 1 dt 1
set key top right noopaque samplen 3 spacing 1.1
set datafile commentschars '#'
set datafile separator whitespace
set style data lines
