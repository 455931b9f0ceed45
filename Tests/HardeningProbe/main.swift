// Built by scripts/test with the release build's flags (scripts/setup's release_flags) and
// checked with readelf: position-independent, full RELRO, no RUNPATH $ORIGIN. A small stand-in,
// so that CI checks the flags without building simsh in release.
print("hardening probe")
