/* Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which every Windows since 8 ships and Bun's Windows runtime imports
   for ProcessPrng. This stand-in, used only to run the Windows binary under Wine in `make release-check`, forwards to
   advapi32's RtlGenRandom (SystemFunction036), the same system CSPRNG. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
