# Sourced by the benchmark scripts: "wall seconds|peak MiB" from a /usr/bin/time -v report.
measure() {
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
        /Maximum resident set size/ { m = $2 / 1024 }
        END { printf "%.2f|%.0f", s, m }' "$1"
}
