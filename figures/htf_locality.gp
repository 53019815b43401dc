# figures/htf_locality.gp -- Razin, Maman & Cohen, ICML 2022 (arXiv:2201.11729): implicit regularization in
# hierarchical tensor factorization. Data: papers/htf_locality (htf_dyn, htf_spectra, mf_dyn, cp_dyn,
# locality, igc .tsv). See style.gp for how Makefile.figures calls this script.
load 'style.gp'

# ---- Fig. A: incremental learning in MF, CP and HTF ---------------------------------------------------------
eval wide
set output png('htf_locality-dynamics')
set multiplot layout 1,3 title "Razin et al. 2022, Fig. A: incremental learning from small initialization (top-10 values, GroupRMSprop)"
set xlabel "iteration (thousands)"
set key off
set title "matrix factorization (depth 3, 64x64, rank 5)"
set ylabel "singular values of the end matrix"
plot for [k=1:10] datafile('mf_dyn.tsv') using ($1/1000):(column(3+k)) with lines lt k lw 2.5
set title "CP factorization (order 3, 16^3, rank 5)"
set ylabel "component norms"
plot for [k=1:10] datafile('cp_dyn.tsv') using ($1/1000):(column(3+k)) with lines lt k lw 2.5
set title "hierarchical tensor factorization (order 4, 8^4)"
set ylabel "local component norms at the root \\{1,2,3,4\\}"
plot for [k=1:10] datafile('htf_dyn.tsv') using ($1/1000):(column(3+k)) with lines lt k lw 2.5
unset multiplot

# ---- Fig. B: local components against singular values of the matricizations ---------------------------------
eval grid
set output png('htf_locality-htf')
set multiplot layout 2,2 title "Razin et al. 2022, Fig. B (appendix): HTF local components and matricization spectra vs iteration"
set xlabel "iteration (thousands)"
set key off
set title "local component norms at node \\{1,2\\} (top 10)"
set ylabel "LC_{\\{1,2\\},r}"
plot for [k=1:10] datafile('htf_dyn.tsv') using ($1/1000):(column(13+k)) with lines lt k lw 2.5
set title "local component norms at the root \\{1,2,3,4\\} (top 10)"
set ylabel "LC_{root,r}"
plot for [k=1:10] datafile('htf_dyn.tsv') using ($1/1000):(column(3+k)) with lines lt k lw 2.5
set title "singular values of mat_{\\{1,2\\}} (a tree cut); dashed: target"
set ylabel "singular value"
stats datafile('htf_dyn.tsv') using 1 nooutput
tmax = STATS_max
stats datafile('htf_spectra.tsv') using 2 nooutput
set yrange [0:1.1 * STATS_max]
set xrange [0:tmax/1000]
plot for [k=1:10] datafile('htf_dyn.tsv') using ($1/1000):(column(23+k)) with lines lt k lw 2.5, \
     for [k=1:5] datafile('htf_spectra.tsv') every ::(k-1)::(k-1) using (0):2:(tmax/1000):(0) with vectors nohead ls 102
set title "singular values of mat_{\\{1,3\\}} (not a tree cut); dashed: target"
plot for [k=1:10] datafile('htf_dyn.tsv') using ($1/1000):(column(33+k)) with lines lt k lw 2.5, \
     for [k=1:5] datafile('htf_spectra.tsv') every ::(k-1)::(k-1) using (0):3:(tmax/1000):(0) with vectors nohead ls 102
unset yrange
unset xrange
unset multiplot

# ---- Low hierarchical rank: the whole spectra at the end of the run (log scale) -----------------------------
set terminal pngcairo size 1200,800 enhanced font font_spec linewidth 1.5 rounded
set output png('htf_locality-rank')
set title "Razin et al. 2022, Sec. 4 (low HT rank): final spectra; the tree cut mat_{\\{1,2\\}} has low rank, mat_{\\{1,3\\}} does not"
set xlabel "index k"
set ylabel "k-th singular value"
set logscale y
set format y "10^{%L}"
set xrange [0.5:30.5]
set key at graph 0.98, graph 0.4 right top
plot datafile('htf_spectra.tsv') using 1:4 with linespoints lt 1 pt 7 title "HTF, mat_{\\{1,2\\}} (tree cut)", \
     '' using 1:2 with points lt 7 pt 6 ps 1.6 title "target T*, mat_{\\{1,2\\}}", \
     '' using 1:5 with linespoints lt 2 pt 5 title "HTF, mat_{\\{1,3\\}} (not a tree cut)", \
     '' using 1:3 with points lt 2 pt 4 ps 1.6 title "target T*, mat_{\\{1,3\\}}"
unset logscale y
set format y "%g"
unset xrange

# ---- Locality: HTF against CP on T* and on the mode-swapped T' (and the IGC penalty) ------------------------
eval wide
set output png('htf_locality-locality')
set multiplot layout 1,2 title "Razin et al. 2022, Fig. C analogue (tensor completion): implicit locality of HTF; T' = T*[d1,d3,d2,d4] swaps modes across the tree cut"
unset xlabel
set title "HTF vs CP on T* and T' (geometric mean over seeds)"
set ylabel "relative test error (log scale)"
set logscale y
set format y "10^{%L}"
set yrange [1e-3:2]
set xrange [-0.7:4.7]
set xtics ("HTF on T*" 0, "HTF on T'" 1, "CP on T*" 3, "CP on T'" 4)
set style fill solid 0.6 border -1
set boxwidth 0.7
set key top right
plot datafile('locality.tsv') index 1 using (3*$1+$2):3:(0.7):(1+$2) with boxes lc variable notitle, \
     '' index 1 using (3*$1+$2):3:4:5 with yerrorbars lt 7 pt 0 lw 1.5 title "range over seeds", \
     datafile('locality.tsv') index 0 using (3*$2+$3):5 with points lt 7 pt 6 ps 1.5 title "one seed"
set title "E4: one-hot IGC penalty on HTF ({/Symbol l}_1 = {/Symbol l}_2/10, see igc.tsv)"
set xtics ("T*, {/Symbol l}=0" 0, "{/Symbol l}_1" 1, "{/Symbol l}_2" 2, "T', {/Symbol l}=0" 4, "{/Symbol l}_1" 5, "{/Symbol l}_2" 6)
set xrange [-0.7:6.7]
plot datafile('igc.tsv') using ($0+$2):5:(0.7):(1+$2) with boxes lc variable notitle
unset multiplot
