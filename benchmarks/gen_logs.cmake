# The deterministic prediction-log generator (gen_logs.cpp), used by the service tests and by the
# benchmarks; included once from tests/ or benchmarks/, whichever is configured first.
# -ffp-contract=off: no fused multiply-add, so every platform computes the same bytes.
include_guard(GLOBAL)
find_package(ZLIB REQUIRED)
add_executable(gen_logs ${CMAKE_CURRENT_LIST_DIR}/gen_logs.cpp)
target_compile_features(gen_logs PRIVATE cxx_std_20)
target_compile_options(gen_logs PRIVATE -ffp-contract=off)
target_link_libraries(gen_logs PRIVATE ZLIB::ZLIB driftgate_build_flags)
