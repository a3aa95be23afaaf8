/** Password hashing (scrypt). The stored format belongs to @dn/db, which seeds users too. */
export { hashPassword, passwordNeedsRehash, verifyPassword } from "@dn/db";
