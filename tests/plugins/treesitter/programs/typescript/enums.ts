enum Color {
  Red,
  Green,
  Blue,
}

function describe(color: Color): string {
  switch (color) {
    case Color.Red:
      return "warm";
    case Color.Green:
      return "natural";
    default:
      return "cool";
  }
}

const colors: Color[] = [Color.Red, Color.Blue];
colors.forEach((c) => console.log(describe(c)));
