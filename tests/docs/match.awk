# awk -v mode=whole|prefix -v wantf=FILE -v gotf=FILE -f match.awk
# Exit 0 when the lines of GOT match those of WANT: a WANT line "..."
# stands for any number of lines, "..." inside a line for any text, and
# every other character is literal; trailing blanks are ignored. mode
# whole: all of GOT must be matched; prefix: GOT may go on after the last
# WANT line. Otherwise print the first WANT line that found no match and
# exit 1.
function glob(s, p,    n, parts, i, at, k) {
    n = split(p, parts, /\.\.\./)
    if (n == 1)
        return s == p
    if (substr(s, 1, length(parts[1])) != parts[1])
        return 0
    at = length(parts[1]) + 1
    for (i = 2; i < n; i++) {
        k = index(substr(s, at), parts[i])
        if (k == 0)
            return 0
        at += k - 1 + length(parts[i])
    }
    if (length(s) - at + 1 < length(parts[n]))
        return 0
    return substr(s, length(s) - length(parts[n]) + 1) == parts[n]
}
# want[i..] against got[j..]; deepest records how far a match got.
function m(i, j) {
    if (i > deepest)
        deepest = i
    if (i > nw)
        return mode == "prefix" || j > ng
    if (want[i] == "...")
        return m(i + 1, j) || (j <= ng && m(i, j + 1))
    return j <= ng && glob(got[j], want[i]) && m(i + 1, j + 1)
}
BEGIN {
    while ((getline l < wantf) > 0) {
        sub(/[ \t\r]+$/, "", l)
        want[++nw] = l
    }
    while ((getline l < gotf) > 0) {
        sub(/[ \t\r]+$/, "", l)
        got[++ng] = l
    }
    deepest = 1
    if (m(1, 1))
        exit 0
    if (deepest > nw)
        print "more output than the document shows"
    else
        print "no match for '" want[deepest] "'"
    exit 1
}
