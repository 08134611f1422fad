interface Shape {
  area(): number;
  name: string;
}

type Point = { x: number; y: number };

class Circle implements Shape {
  name = "circle";
  constructor(private center: Point, private radius: number) {}

  area(): number {
    return Math.PI * this.radius * this.radius;
  }
}

class Rect implements Shape {
  name = "rect";
  constructor(private width: number, private height: number) {}

  area(): number {
    return this.width * this.height;
  }
}

function totalArea(shapes: Shape[]): number {
  let total = 0;
  for (const shape of shapes) {
    total += shape.area();
  }
  return total;
}

const shapes: Shape[] = [new Circle({ x: 0, y: 0 }, 1), new Rect(2, 3)];
console.log(totalArea(shapes).toFixed(2));
