/* Test harness only, never shipped: Wine 8 has no ProcessPrng in
 * bcryptprimitives.dll, which Rust's standard library imports on Windows,
 * so a Rust program does not start under it. This stand-in, placed beside
 * the exe, fills the buffer from advapi32's RtlGenRandom (SystemFunction036),
 * as Windows' own ProcessPrng does from its generator. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
