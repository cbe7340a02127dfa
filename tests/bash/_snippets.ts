/**
 * Bash snippets whose parse acceptance the tests compare with `bash -n`:
 * the constructs real PKGBUILDs use, bash's odd corners, and invalid input.
 * Separated by lines holding only `@@`.
 *
 * @module
 */

const RAW = String.raw`[[ -n ]]
@@
[[ a =~ a|b ]]
@@
[[ a =~ (a b) ]]
@@
[[ x == @(a|b) ]]
@@
echo @(a|b)
@@
a[1 + 2]=x
@@
echo a<(true)
@@
f-x.y:z() { :; }
@@
echo ${"$"}{foo bar}
@@
echo ${"$"}{}
@@
echo ${"$"}{x:-
@@
echo $(( 1 + (2) ))
@@
echo $( (echo) )
@@
echo $((echo); (echo))
@@
((echo); (echo))
@@
echo }
@@
{ echo }
@@
a=1 if true; then :; fi
@@
echo a=(b)
@@
local a=(b c)
@@
x=(a # comment
b)
@@
[[ a &&
b ]]
@@
[[ ( a ) ]]
@@
echo $[1+2]
@@
case x in (a) echo;; esac
@@
case x in a) echo;; b) ;; esac
@@
case x in esac
@@
case x in a) ;& b) ;;& esac
@@
f() [[ x ]]
@@
f() ( echo )
@@
function f { :; }
@@
function f() ( : )
@@
f() { :; } > /dev/null
@@
for ((i=0;i<3;i++)) { echo; }
@@
for i in a b; { echo; }
@@
for i; do :; done
@@
for i
do :; done
@@
select x in a; do :; done
@@
coproc foo { :; }
@@
time -p echo
@@
! ! true
@@
echo a |& cat
@@
exec {fd}>file
@@
echo $'a\
b'
@@
echo &>> f
@@
cat <<< "x"
@@
echo ${"$"}{x@Q}
@@
echo ${"$"}{!x@}
@@
! (true)
@@
echo !(a)
@@
cat <<EOF
$(echo ")")
EOF
@@
echo "$(case x in a) echo;; esac)"
@@
echo ${"`"}echo \${"`"}echo\${"`"}${"`"}
@@
if true; then fi
@@
while; do :; done
@@
{ }
@@
( )
@@
echo ;;
@@
a=b(c)
@@
echo a{b,c}d
@@
f () { :; }
@@
f ( ) { :; }
@@
function f ( ) { :; }
@@
function f
{ :; }
@@
f()
{ :; }
@@
f() { :; }; g() { :; }
@@
echo $((1 << 2))
@@
x=${"$"}{a[${"$"}{i}]}
@@
[[ $x == "a"* ]]
@@
[[ $a < $b ]]
@@
[[ ! -f x || -d y ]]
@@
[[ a -f b ]]
@@
[[ -f = x ]]
@@
[[ a
]]
@@
echo ${"$"}{x:-"}"}
@@
echo "${"$"}{x:-"}"}"
@@
echo ${"$"}{x:-'}'}
@@
echo "${"$"}{x:-'}'}"
@@
echo ${"$"}{x#'}'}
@@
echo "${"$"}{x#'}'}"
@@
a=( [1]=x [2]+=y z )
@@
a=([x y]=z)
@@
echo $(( $(echo ")") ))
@@
echo $((1+
2))
@@
cat <<E1 <<E2
a
E1
b
E2
@@
cat <<-	EOF
	x
	EOF
@@
echo ${"`"}echo \"a\"${"`"}
@@
for x in; do :; done
@@
case a in a) esac
@@
x=$(case a in a) echo;; esac)
@@
f(){ :;}
@@
{ :;}
@@
if :; then :; fi; fi
@@
foo() { bar; } 2>&1
@@
echo a >&2 2>&-
@@
exec 3< <(echo)
@@
echo $"hi"
@@
time
@@
declare -A m=([a]=1)
@@
echo ${"$"}{#a[@]} ${"$"}{a[*]} ${"$"}{!a[@]} ${"$"}{!pre*}
@@
echo ${"$"}{x:1:2} ${"$"}{x: -1} ${"$"}{x:(-1)}
@@
echo ${"$"}{x,,} ${"$"}{x^^[a]}
@@
while read -r a b; do :; done < <(echo)
@@
echo ~ ~/x ~root a=~/b
@@
echo "\$x \${"`"} \\ \a"
@@
echo ${"$"}{x//\//_} ${"$"}{x/#pat/rep} ${"$"}{x/%a/b}
@@
[[ $a =~ ^[0-9]+(\.[0-9]+)?$ ]]
@@
find . -exec {} \;
@@
for f in *.patch; do patch -p1 < "$f"; done
@@
cd "${"$"}{srcdir}"/${"$"}{pkgname%-git}
@@
echo a \
  b # c \
echo d
@@
{ echo; } > f
@@
cmd 2>&1 >/dev/null
@@
case $x in a|b) echo;; *) ;; esac
@@
(( i++ ))
@@
printf '%s\n' "$x"
@@
sed -e 's/a/b/' -e "s|x|$y|"
@@
install -Dm644 <(echo x) "$pkgdir/x"
@@
eval "$(foo)"
@@
echo if then fi
@@
echo a#b ${"$"}{#x} $# $? $$ $! $- $0 $9 ${"$"}{10}
@@
x="$(echo "a b")"
@@
echo "${"$"}{x:-$(echo "}")}"
@@
cat > f <<'EOF'
$x ${"`"}y${"`"} \z
EOF
echo after
@@
x=$(cat <<EOF
hello $y
EOF
)
@@
echo "a
b" <<EOF
c
EOF
@@
a=(
  'x'   # first
  "y"
)
@@
package_foo() {
  depends=(a b)
  cd "$srcdir"
}
@@
function a::b { :; }
@@
echo $(( x > 1 ? 1 : 0 ))
@@
if [ -f x ]; then :; elif [ -d y ]; then :; else :; fi
@@
until false; do break; done
@@
echo ${"$"}{x/'a'/"b"}
@@
echo ${"$"}{a[@]:1:2}
@@
[[ $x != *.@(gz|xz) ]]
@@
[[ -z "$x" && ( -n $y || $z == 1 ) ]]
@@
f() { local -a x=(); x+=("y"); a[$i]=y; }
@@
echo $((16#ff)) $((2**3))
@@
echo ${"`"}date +%s${"`"}
@@
echo "${"`"}echo "a"${"`"}"
@@
ls | while read l; do echo "$l"; done
@@
echo 'a'"b"\c$'\n'$"d"
@@
: ${"$"}{x:=default}
@@
echo $(echo $(echo $(echo deep)))
@@
echo ${"$"}{x:+"$x"}
@@
x=a\ b
@@
echo "${"$"}{arr[@]/#/-I}"
@@
case "$CARCH" in
  x86_64) _arch=amd64 ;;
  aarch64) _arch=arm64 ;;
esac
@@
cat <<EOF | sed 's/x/y/' > out
x
EOF
@@
cmd && {
  a
} || b
@@
[[ $(uname -m) == x86_64 ]] && echo yes
@@
pkgver() { git describe --long --tags | sed 's/\([^-]*-g\)/r\1/;s/-/./g'; }
@@
echo $((${"$"}{#x} + 1))
@@
((${"$"}{#arr[@]} > 0)) && echo
@@
echo "$((1+2))"
@@
trap 'rm -f "$tmp"' EXIT
@@
echo "${"$"}{x%%+([0-9])}"
@@
echo }{ {} }
@@
echo \{a,b\}
@@
echo a&&echo b||echo c
@@
a=b c=d
@@
export PATH="$PATH:/x" CFLAGS+=" -O2"
@@
readonly -a r=(1 2)
@@
typeset -i n=1+2
@@
echo ${"$"}{!#}
@@
echo ${"$"}{#}
@@
echo ${"$"}{#@}
@@
echo ${"$"}{@:2}
@@
echo $@ $* "$@"
@@
for ((;;)); do break; done
@@
for (( i = 0 ; i < 10 ; i++ )); do :; done
@@
while :; do :; done &
@@
echo a & echo b
@@
echo x >| f <> g
@@
echo x 3>&- 4<&0
@@
echo $x$y${"$"}{z}
@@
echo \$HOME
@@
echo "$"
@@
echo $
@@
echo a$
@@
echo "\""
@@
echo ''
@@
echo ""
@@
echo $''
@@
case x in
  *) echo ;;
esac
@@
case $1 in
  --foo=*) echo "${"$"}{1#*=}" ;;
esac
@@
x=${"$"}{y:-${"$"}{z:-w}}
@@
echo ${"$"}{x:${"$"}{#y}:1}
@@
echo $((a[1]+a[2]))
@@
arr[${"$"}{#arr[@]}]=x
@@
echo "${"$"}{!v}"
@@
declare -n ref=arr
@@
echo "${"$"}{x@U}"
@@
echo ${"$"}{x^} ${"$"}{x,}
@@
[[ -v arr[0] ]]
@@
[[ "$a" -eq 1 ]]
@@
[[ $a ]]
@@
[ "$a" = b ] || exit 1
@@
test -n "$x"
@@
x=$(( (1+2) * 3 ))
@@
x=$( (echo a) | cat )
@@
echo $( ( (echo a) ) )
@@
((( 1 + 2 ) * 3))
@@
echo "$(( (1) ))"
@@
cat <<-EOF
		tab indented $x
	EOF
@@
cat << "EOF"
raw $x
EOF
@@
cat <<\EOF
raw
EOF
@@
cat <<E\OF
raw
EOF
@@
cat <<EOF
no end
@@
foo <<EOF; bar <<EOF2
a
EOF
b
EOF2
@@
f() {
  cat <<EOF
}
EOF
}
@@
x='a
b'
@@
echo "a\
b"
@@
echo a\
b
@@
source /etc/profile
@@
. ./x.sh
@@
echo $((10#$x))
@@
echo ${"$"}{x:?missing}
@@
echo ${"$"}{x?}
@@
echo "${"$"}{x//[^a-z]/}"
@@
echo "${"$"}{x//\"/\\\"}"
@@
echo ${"$"}{x//'/'/_}
@@
mv "$f" "${"$"}{f%.*}.bak"
@@
[[ ${"$"}{x} =~ ^v?([0-9.]+)$ ]] && echo ${"$"}{BASH_REMATCH[1]}
@@
IFS=. read -r a b <<< "$v"
@@
echo $(</etc/hostname)
@@
if
true
then
echo
fi
@@
for i in \
  a \
  b; do echo $i; done
@@
echo "$(
  echo a
  # comment )
  echo b
)"
@@
x=$(echo a # comment
)
@@
echo \#notcomment #comment
@@
echo a;#comment
@@
{ echo a;};
@@
(cd x && make)
@@
(cd x; make) || return 1
@@
!true
@@
echo !x
@@
echo a!b
@@
[[ ! $x ]]
@@
function f() { :; }; function g { :; }
@@
f() if true; then :; fi
@@
f() for i in a; do :; done
@@
f() while false; do :; done
@@
f() case x in *) ;; esac
@@
f() (( 1 ))
@@
_a() { :; }
@@
a.b() { :; }
@@
echo )
@@
echo (
@@
echo |
@@
| echo
@@
echo && && echo
@@
echo "unterminated
@@
echo 'unterminated
@@
echo $(unterminated
@@
echo ${"`"}unterminated
@@
if true; then echo; 
@@
case x in a) echo
@@
for do done
@@
f() echo
@@
done
@@
then
@@
fi
@@
esac
@@
}
@@
a=(unterminated
@@
[[ unterminated
@@
(( 1 + 2
@@
echo $(( 1 + 2 )
@@
echo ${"$"}{x
@@
echo ${"$"}{x/a/b
@@
cat <<EOF
EOF
@@
echo a ; ; echo b
@@
echo a & ; echo b
@@
echo >
@@
echo 2>&
@@
x= echo
@@
x= ; y=
@@
[[ a == b ]] ]]
@@
echo \
@@
echo x\
@@
echo "${"$"}{a[@]}" "${"$"}{a[*]}" "${"$"}{#a[@]}"
@@
echo ${"$"}{a[ 1 ]}
@@
echo "${"$"}{a["k"]}"
@@
declare -a 'a=(x)'
@@
local x y=1 z=(2 3)
@@
export x+=y
@@
f() { local IFS=$'\n'; }
@@
echo ${"$"}{x:-a b c}
@@
echo "${"$"}{x:-a b c}"
@@
[[ $x == */* ]]
@@
[[ $x == a\ b ]]
@@
[[ $x > a ]]
@@
[[ a < b && c > d ]]
@@
[[ (a == b) ]]
@@
[[ -e /x && ! -L /x ]]
@@
echo $((x++)) $((--y)) $((x<<=1))
@@
let i++
@@
echo "$( echo "$( echo "$( echo "x" )" )" )"
@@
ls -- * .[!.]*
@@
echo [abc] [!a] ?
@@
x=*
@@
shopt -s extglob
@@
set -- a b
@@
echo "${"$"}{1}${"$"}{2}"
@@
a=$'x\'y'
@@
a=$'\x41\101\u00e9\cA'
@@
echo a'b'"c"$'d'$"e"\f
`;

/** The snippets. */
export const SNIPPETS: string[] = RAW.split("\n@@\n").map((s) => s + "\n");
