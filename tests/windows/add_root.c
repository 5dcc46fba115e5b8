/* Test harness only, never shipped: adds a PEM certificate to the current
 * user's Root store through crypt32, as an administrator's policy puts a
 * company's inspection CA there on a managed machine (Wine has no
 * certutil). Used by tests/tests/wine.rs to show what "trusted only by the
 * OS store" means on Windows. Usage: add_root CERT.pem */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

int main(int argc, char **argv) {
    static char pem[65536];
    static BYTE der[65536];
    DWORD der_len = sizeof der;
    FILE *f;
    size_t n;
    HCERTSTORE store;
    if (argc != 2) {
        fprintf(stderr, "usage: add_root CERT.pem\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    n = fread(pem, 1, sizeof pem - 1, f);
    fclose(f);
    pem[n] = 0;
    if (!CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, der, &der_len, NULL, NULL)) {
        fprintf(stderr, "not a PEM certificate (error %lu)\n", GetLastError());
        return 1;
    }
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, "ROOT");
    if (!store) {
        fprintf(stderr, "cannot open the Root store (error %lu)\n", GetLastError());
        return 1;
    }
    if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, der_len,
                                          CERT_STORE_ADD_REPLACE_EXISTING, NULL)) {
        fprintf(stderr, "cannot add the certificate (error %lu)\n", GetLastError());
        CertCloseStore(store, 0);
        return 1;
    }
    CertCloseStore(store, 0);
    return 0;
}
