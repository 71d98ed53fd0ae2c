// Argon2id password hashing (core/password.h) against the known answers
// published with the reference implementation (phc-winner-argon2, src/test.c:
// password "password", salt "somesalt", version 0x13), plus round trips.
#include "core/password.h"

#include <gtest/gtest.h>

namespace tryghed::core {
namespace {

// src/test.c, Argon2id, t = 2, m = 2^16 KiB, p = 1.
constexpr const char* kReference64MiB =
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
// src/test.c (verification cases), Argon2id, t = 2, m = 256 KiB, p = 1.
constexpr const char* kReference256KiB =
    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

TEST(PasswordTest, HashingMatchesTheReferenceKnownAnswers) {
  auto big = HashPasswordWithSalt("password", "somesalt", {2, 65536, 1});
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(*big, kReference64MiB);
  auto small = HashPasswordWithSalt("password", "somesalt", {2, 256, 1});
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(*small, kReference256KiB);
}

TEST(PasswordTest, VerifiesTheReferenceStringsAndNothingElse) {
  EXPECT_TRUE(VerifyPassword(kReference64MiB, "password"));
  EXPECT_TRUE(VerifyPassword(kReference256KiB, "password"));
  EXPECT_FALSE(VerifyPassword(kReference256KiB, "Password"));
  EXPECT_FALSE(VerifyPassword(kReference256KiB, "password "));
  EXPECT_FALSE(VerifyPassword(kReference256KiB, ""));
  // The same string under another variant's name is refused before hashing.
  std::string argon2i = kReference256KiB;
  argon2i.replace(0, 10, "$argon2i$");
  EXPECT_FALSE(VerifyPassword(argon2i, "password"));
  EXPECT_FALSE(VerifyPassword("", "password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$", "password"));
  EXPECT_FALSE(VerifyPassword("plain text", "plain text"));
}

TEST(PasswordTest, DefaultHashRoundTripsWithAFreshSaltAndTheDocumentedCost) {
  auto a = HashPassword("korrekt hest batteri hæfteklamme");
  auto b = HashPassword("korrekt hest batteri hæfteklamme", {1, 256, 1});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *a;
  EXPECT_EQ(b->rfind("$argon2id$v=19$m=256,t=1,p=1$", 0), 0u) << *b;
  auto c = HashPassword("korrekt hest batteri hæfteklamme", {1, 256, 1});
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*b, *c);  // a new salt each time
  EXPECT_TRUE(VerifyPassword(*a, "korrekt hest batteri hæfteklamme"));
  EXPECT_TRUE(VerifyPassword(*b, "korrekt hest batteri hæfteklamme"));
  EXPECT_TRUE(VerifyPassword(*c, "korrekt hest batteri hæfteklamme"));
  EXPECT_FALSE(VerifyPassword(*a, "korrekt hest batteri haefteklamme"));
}

TEST(PasswordTest, RefusesEmptyPasswordsShortSaltsAndImpossibleCosts) {
  EXPECT_EQ(HashPassword("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPasswordWithSalt("password", "short", {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPasswordWithSalt("password", "somesalt", {0, 256, 1}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tryghed::core
