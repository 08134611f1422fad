import java.util.List;
import java.util.function.Function;

interface Shape {
    double area();

    default String label() {
        return "shape « " + getClass().getSimpleName() + " »";
    }
}

record Circle(double r) implements Shape {
    public double area() {
        return Math.PI * r * r;
    }
}

record Rect(double w, double h) implements Shape {
    public double area() {
        return w * h;
    }
}

class Shapes {
    static <T> double sum(List<T> xs, Function<T, Double> f) {
        double total = 0;
        for (T x : xs) {
            total += f.apply(x);
        }
        return total;
    }

    static String describe(Shape s) {
        final String kind;
        if (s instanceof Circle c) {
            kind = "circle of radius " + c.r();
        } else {
            kind = "other";
        }
        return kind;
    }

    public static void main(String[] args) {
        List<Shape> shapes = List.of(new Circle(1), new Rect(2, 3));
        System.out.println(sum(shapes, Shape::area) + " " + describe(shapes.get(0)));
    }
}
