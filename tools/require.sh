# Sourced by demo.sh and test.sh: makes sure the tools they run are there.
#   require_packages CMD:PACKAGE ...   (CMD may be "pkgconfig:NAME" for a library)
# What is missing is installed with apt-get when running as root on a Debian
# or Ubuntu machine; otherwise the script stops and names the packages.
require_packages() {
    local missing=() spec what package
    for spec in "$@"; do
        what=${spec%%:*}
        package=${spec#*:}
        case "$what" in
            pkgconfig=*)
                command -v pkg-config >/dev/null && pkg-config --exists "${what#pkgconfig=}" && continue ;;
            *)
                command -v "$what" >/dev/null && continue ;;
        esac
        missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    # One package can serve several checks (pkg-config, for one).
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing what this machine lacks: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again." >&2
        exit 1
    fi
}

# A Rust toolchain comes from rustup, not from apt-get.
require_rust() {
    if ! command -v cargo >/dev/null; then
        echo "Missing: a Rust toolchain (cargo). Install it with rustup (https://rustup.rs) and run again." >&2
        exit 1
    fi
}
