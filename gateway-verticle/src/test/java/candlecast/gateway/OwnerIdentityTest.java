package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import org.junit.jupiter.api.Test;

class OwnerIdentityTest {

  @Test
  void validOwnersAreOneTo64CharactersOfTheAllowedSet() {
    assertThat(OwnerIdentity.valid("alice")).isTrue();
    assertThat(OwnerIdentity.valid("a.b_c@d:e-9")).isTrue();
    assertThat(OwnerIdentity.valid("x".repeat(64))).isTrue();
    assertThat(OwnerIdentity.valid("x".repeat(65))).isFalse();
    assertThat(OwnerIdentity.valid("")).isFalse();
    assertThat(OwnerIdentity.valid(null)).isFalse();
    for (String bad : new String[] {"a b", "a/b", "ä", "a*", "a\nb", "a#b"}) {
      assertThat(OwnerIdentity.valid(bad)).as(bad).isFalse();
    }
  }

  @Test
  void withoutAUserTheSuppliedOwnerElseDefault() {
    assertThat(OwnerIdentity.resolve(null, null)).isEqualTo(OwnerIdentity.DEFAULT);
    assertThat(OwnerIdentity.resolve(null, "bob")).isEqualTo("bob");
    assertThatThrownBy(() -> OwnerIdentity.resolve(null, "bad owner"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad_owner: ");
  }

  @Test
  void withAUserTheTokensSubjectAndTheSuppliedOwnerIsIgnored() {
    User alice = User.create(new JsonObject().put("sub", "alice"));
    assertThat(OwnerIdentity.resolve(alice, "bob")).isEqualTo("alice");
    assertThat(OwnerIdentity.resolve(alice, null)).isEqualTo("alice");
    User noSub = User.create(new JsonObject().put("name", "x"));
    assertThatThrownBy(() -> OwnerIdentity.resolve(noSub, "bob"))
        .hasMessageStartingWith("bad_owner: ");
    User badSub = User.create(new JsonObject().put("sub", "has space"));
    assertThatThrownBy(() -> OwnerIdentity.resolve(badSub, null))
        .hasMessageStartingWith("bad_owner: ");
  }
}
