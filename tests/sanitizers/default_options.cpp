// The sanitizers' options, built into every executable of a sanitizer build (kyc-server,
// kycctl, the tests, the fuzzers): a plain `ctest`, a server started by the integration
// tests or by hand, and scripts/test all behave alike. ASAN_OPTIONS, UBSAN_OPTIONS and
// TSAN_OPTIONS in the environment still override any of these.
//
// Every finding stops the process with a stack trace: undefined behaviour and data races
// fail a test as a crash does. The suppression files name single third-party frames and
// say why (KYC_SANITIZER_DIR is tests/sanitizers).
#ifndef KYC_SANITIZER_DIR
#error "KYC_SANITIZER_DIR must name tests/sanitizers"
#endif

extern "C" {

const char* __asan_default_options() { return "detect_leaks=1:abort_on_error=1"; }

const char* __ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1:suppressions=" KYC_SANITIZER_DIR "/ubsan.supp";
}

const char* __tsan_default_options() {
  return "halt_on_error=1:second_deadlock_stack=1:suppressions=" KYC_SANITIZER_DIR "/tsan.supp";
}

}  // extern "C"
