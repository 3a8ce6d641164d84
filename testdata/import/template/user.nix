{ ... }:
{
  axios.user = {
    name = "alice";
    fullName = "Alice Liddell";
    email = "alice@example.org";
  };
}
